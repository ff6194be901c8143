"""The case engine: case kinds declared in policy (`policy/cases/`), their steps, deadlines,
reminders and queues (see `service`, `deadlines`, `queues`)."""
