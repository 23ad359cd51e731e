"""Sending reminders: the group robots (robots.py), email (mail.py), the sent-log that keeps a
message from going out twice a day (sentlog.py), and the run that ties them (deliver.py).

This is a writer layer, beside the journal: it reaches the network, but only the endpoints
notify.yaml names (a robot's webhook from its environment variable, the SMTP host), follows no
redirects, and writes only its sent-log in the user's state folder — never the data folder.
"""
