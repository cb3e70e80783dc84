INSERT INTO "User" (email) VALUES ('a@example.com'), ('b@example.com');
