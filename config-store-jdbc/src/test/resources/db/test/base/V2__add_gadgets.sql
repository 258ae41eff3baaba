CREATE TABLE gadgets (id INTEGER PRIMARY KEY);
INSERT INTO widgets (label) VALUES ('second');
