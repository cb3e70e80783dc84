INSERT INTO "User" (email, name) VALUES ('a@example.com', 'Ada'), ('b@example.com', 'Ada');
