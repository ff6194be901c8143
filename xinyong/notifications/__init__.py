"""Notifications: the outbox every part writes its messages to (through `service.notify`, in
its own transaction), the channels that deliver them (site messages, and SMS and mail as a
city configures them) and the reminders job that turns due case reminders into messages."""
