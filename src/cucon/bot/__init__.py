"""The submission service: forms that open pull requests."""
