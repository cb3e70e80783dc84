INSERT INTO "Tag" (name) VALUES ('new'), ('sale');
