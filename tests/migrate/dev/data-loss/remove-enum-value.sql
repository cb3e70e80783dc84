INSERT INTO "User" (email) VALUES ('a@example.com');
