"""Shared HTTP plumbing at the edge of the app: parameter types, request body limits, security
headers, CSRF for cookie-authenticated API calls, error answers, the offline API docs."""
