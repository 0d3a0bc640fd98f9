"""Stand-ins for outside services, which the tests reach over real sockets on 127.0.0.1."""
