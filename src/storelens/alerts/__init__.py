"""Alerts nobody else sends: orders that stop, a refund spike, a store that cannot be reached or whose keys stopped
working, a day far above normal. Detected by the job queue's tick from the rollups and each store's status, shown in
the app (the home page and a bell), sent by e-mail and to a workspace's webhook (Slack-compatible JSON)."""
