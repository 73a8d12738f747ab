"""The PostgreSQL store: the SQLite store's queries over psycopg 3, with PostgreSQL's own DDL."""
