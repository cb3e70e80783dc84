INSERT INTO "User" (email, tags) VALUES ('a@example.com', 'red'), ('b@example.com', NULL);
