INSERT INTO "User" (email, bio) VALUES ('a@example.com', 'likes tea'), ('b@example.com', 'likes coffee'), ('c@example.com', NULL);
