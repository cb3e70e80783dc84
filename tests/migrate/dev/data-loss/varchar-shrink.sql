INSERT INTO "User" (email) VALUES ('a@example.com');
INSERT INTO "Post" (title, "authorId") VALUES ('First', 1), ('Second', 1), ('Third', 1);
