// The seed documents' verification queries, copied verbatim from docs/seeds/ (a test checks the
// copy against the documents).

/** docs/seeds/000_0733b944ee403f1c.txt, "Step 3: Verify the Migration", first query. */
export const SEED_000_COLUMNS_QUERY = `-- Check if columns were added
SELECT
  column_name,
  data_type,
  is_nullable,
  column_default
FROM information_schema.columns
WHERE table_name = 'conversations'
  AND column_name IN ('session_id', 'persona_id', 'is_guest_session', 'guest_message_count')
ORDER BY column_name;`;

/** docs/seeds/000_0733b944ee403f1c.txt, second query. */
export const SEED_000_INDEXES_QUERY = `-- Check if indexes were created
SELECT
  indexname,
  indexdef
FROM pg_indexes
WHERE tablename = 'conversations'
  AND indexname IN ('idx_conversations_persona', 'idx_conversations_guest_session');`;

/** docs/seeds/000_0733b944ee403f1c.txt, third query. */
export const SEED_000_FOREIGN_KEY_QUERY = `-- Check foreign key constraint
SELECT
  tc.constraint_name,
  tc.table_name,
  kcu.column_name,
  ccu.table_name AS foreign_table_name,
  ccu.column_name AS foreign_column_name
FROM information_schema.table_constraints AS tc
JOIN information_schema.key_column_usage AS kcu
  ON tc.constraint_name = kcu.constraint_name
  AND tc.table_schema = kcu.table_schema
JOIN information_schema.constraint_column_usage AS ccu
  ON ccu.constraint_name = tc.constraint_name
  AND ccu.table_schema = tc.table_schema
WHERE tc.table_name = 'conversations'
  AND tc.constraint_type = 'FOREIGN KEY'
  AND kcu.column_name = 'persona_id';`;

/** docs/seeds/003_1eb31c9fbd90e18e.txt, "Verification", the query after the two \\d commands. */
export const SEED_003_ENUM_QUERY = `SELECT enum_range(NULL::conversation_status_enum);`;

export const SEED_000_FILE = "000_0733b944ee403f1c.txt";
export const SEED_003_FILE = "003_1eb31c9fbd90e18e.txt";
