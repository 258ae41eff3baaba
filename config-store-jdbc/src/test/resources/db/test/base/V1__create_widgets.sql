-- widgets; a comment with a ; inside
CREATE TABLE widgets (id INTEGER PRIMARY KEY, label TEXT NOT NULL DEFAULT 'a;b');
INSERT INTO widgets (label) VALUES ('it''s; fine');
