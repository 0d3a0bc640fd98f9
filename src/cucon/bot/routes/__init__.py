"""The service's routers: the forms, the links of the e-mails, and health."""
