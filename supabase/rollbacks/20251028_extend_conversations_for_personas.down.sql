-- Rollback of 20251028_extend_conversations_for_personas.sql: the schema as it stood before it.
-- Not applied by the CLI. Dropping the columns drops their indexes and the persona foreign key.
-- Also removes the CLI's record of the migration so that `supabase db push` applies it again.

alter table public.conversations
  drop column if exists guest_message_count,
  drop column if exists is_guest_session,
  drop column if exists persona_id,
  drop column if exists session_id;

do $$
begin
  if to_regclass('supabase_migrations.schema_migrations') is not null then
    delete from supabase_migrations.schema_migrations where version = '20251028';
  end if;
end
$$;
