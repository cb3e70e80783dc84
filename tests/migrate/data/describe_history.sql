-- What a migration tool wrote into _prisma_migrations, as one JSON document
-- without the values that differ on every run (ids, times): the table's
-- columns and constraints, and each row's fields or their properties.
-- Shared by regenerate-expected.sh (run against Prisma's engine) and
-- history_rows_test.cpp (run against soulstone's deploy).
SELECT json_build_object(
  'columns', (SELECT json_agg(json_build_object(
                'name', column_name, 'type', data_type, 'max_length', character_maximum_length,
                'nullable', is_nullable, 'default', column_default) ORDER BY ordinal_position)
              FROM information_schema.columns
              WHERE table_name = '_prisma_migrations' AND table_schema = current_schema()),
  'constraints', (SELECT json_agg(json_build_object('name', conname, 'definition', pg_get_constraintdef(oid))
                    ORDER BY conname)
                  FROM pg_constraint WHERE conrelid = '_prisma_migrations'::regclass),
  'indexes', (SELECT json_agg(indexname ORDER BY indexname) FROM pg_indexes
              WHERE tablename = '_prisma_migrations' AND schemaname = current_schema()),
  'rows', (SELECT json_agg(json_build_object(
             'migration_name', migration_name,
             'checksum', checksum,
             'id_is_lowercase_uuid_v4', id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$',
             'started_at_set', started_at IS NOT NULL,
             'finished', finished_at IS NOT NULL,
             'finished_not_before_start', finished_at >= started_at,
             'rolled_back', rolled_back_at IS NOT NULL,
             'logs', CASE WHEN logs IS NULL THEN 'null' WHEN logs = '' THEN 'empty' ELSE 'text' END,
             'applied_steps_count', applied_steps_count) ORDER BY started_at, migration_name)
           FROM _prisma_migrations)
) AS history;
