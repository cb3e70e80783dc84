INSERT INTO "User" (email, code) VALUES ('a@example.com', 'A1'), ('b@example.com', 'B2');
