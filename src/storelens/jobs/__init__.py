"""Background jobs on Huey.

Define tasks in a `tasks.py` module of your app with `huey.contrib.djhuey`'s decorators (`db_task`, `task`,
`periodic_task`); djhuey finds them in every installed app. The queue lives in SQLite in the data directory, or in
Redis when `STORELENS_QUEUE_URL=redis://…`. Tests run tasks immediately (see tests/conftest.py).
"""
