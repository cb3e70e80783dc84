INSERT INTO "Membership" ("userId", "teamId", role) VALUES (1, 1, 'owner'), (2, 1, 'member');
