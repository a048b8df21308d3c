-- TEST FIXTURE, not a migration: what a database has after recording the first draft of
-- 20251101000000_chat_functions.sql (commit 51a6d2e), before that landed migration was edited.
-- tests/db/upgrade.test.ts applies it over the current migrations, to stand for such a database,
-- then checks that `supabase db push` of the later migrations brings it to the current schema.
-- Function bodies are verbatim from that draft.

-- The helpers the draft did not have, and the 5-argument save_assistant_message it did not have.
drop function public.save_assistant_message(uuid, text, uuid, uuid, text);
drop function chat_private.chat_next_message_time(uuid);
drop function chat_private.chat_next_conversation_time(text);

-- The draft's grants: the whole personas table readable by the public keys.
grant select on public.personas to anon, authenticated;

create or replace function public.start_conversation(
  p_persona_id uuid,
  p_session_id text,
  p_user_id uuid
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_conversation public.conversations;
begin
  if p_user_id is null and (p_session_id is null or char_length(p_session_id) not between 16 and 128) then
    perform chat_private.chat_raise('invalid_session', 'A guest session id is required.');
  end if;

  if not exists (select 1 from public.personas p where p.id = p_persona_id and p.is_active) then
    perform chat_private.chat_raise('persona_not_found', 'That persona does not exist or is not available.');
  end if;

  insert into public.conversations (user_id, persona_id, session_id, is_guest_session, guest_message_count, status)
  values (
    p_user_id,
    p_persona_id,
    coalesce(p_user_id::text, p_session_id),
    p_user_id is null,
    0,
    'active'
  )
  returning * into v_conversation;

  return chat_private.chat_conversation_json(v_conversation);
end;
$$;

create or replace function public.post_user_message(
  p_conversation_id uuid,
  p_session_id text,
  p_user_id uuid,
  p_content text,
  p_guest_limit integer default 10,
  p_history_limit integer default 50
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_content text := btrim(coalesce(p_content, ''), E' \t\r\n');
  v_conversation public.conversations;
  v_message public.messages;
  v_used integer;
begin
  if char_length(v_content) = 0 or char_length(v_content) > 4000 then
    perform chat_private.chat_raise('invalid_content', 'A message must be 1 to 4000 characters long.');
  end if;

  if p_user_id is null then
    -- Serialises the posts of one guest session (across all its conversations) until commit.
    perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('guest:' || coalesce(p_session_id, ''), 0));
  end if;

  v_conversation := chat_private.chat_owned_conversation(p_conversation_id, p_session_id, p_user_id, true);

  if v_conversation.status = 'ended' then
    perform chat_private.chat_raise('conversation_ended', 'This conversation has ended.');
  end if;

  if p_user_id is null then
    select coalesce(sum(c.guest_message_count), 0) into v_used
    from public.conversations c
    where c.session_id = p_session_id and c.is_guest_session and c.user_id is null;

    if v_used >= p_guest_limit then
      perform chat_private.chat_raise('guest_limit_reached', 'The guest message limit has been reached. Sign up to keep chatting.');
    end if;

    update public.conversations c
    set guest_message_count = coalesce(c.guest_message_count, 0) + 1, updated_at = now()
    where c.id = v_conversation.id
    returning * into v_conversation;
  else
    update public.conversations c set updated_at = now()
    where c.id = v_conversation.id
    returning * into v_conversation;
  end if;

  insert into public.messages (conversation_id, sender, role, content)
  values (v_conversation.id, 'user', 'user', v_content)
  returning * into v_message;

  return jsonb_build_object(
    'message', chat_private.chat_message_json(v_message),
    'conversation', chat_private.chat_conversation_json(v_conversation),
    'allowance', chat_private.chat_guest_allowance(p_session_id, p_user_id, p_guest_limit)
  ) || chat_private.chat_reply_context(v_conversation, p_history_limit);
end;
$$;

create or replace function public.save_assistant_message(
  p_conversation_id uuid,
  p_session_id text,
  p_user_id uuid,
  p_content text
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_conversation public.conversations;
  v_message public.messages;
begin
  if char_length(coalesce(p_content, '')) = 0 or char_length(p_content) > 32000 then
    perform chat_private.chat_raise('invalid_content', 'A reply must be 1 to 32000 characters long.');
  end if;

  v_conversation := chat_private.chat_owned_conversation(p_conversation_id, p_session_id, p_user_id, true);

  insert into public.messages (conversation_id, sender, role, content)
  values (v_conversation.id, 'assistant', 'assistant', p_content)
  returning * into v_message;

  update public.conversations c
  set status = case when c.status = 'error' then 'active'::public.conversation_status_enum else c.status end,
      updated_at = now()
  where c.id = v_conversation.id
  returning * into v_conversation;

  return jsonb_build_object(
    'message', chat_private.chat_message_json(v_message),
    'conversation', chat_private.chat_conversation_json(v_conversation)
  );
end;
$$;

create or replace function public.set_conversation_status(
  p_conversation_id uuid,
  p_session_id text,
  p_user_id uuid,
  p_status text
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_conversation public.conversations;
begin
  if p_status is null or p_status not in ('active', 'error') then
    perform chat_private.chat_raise('invalid_status', 'Status must be active or error.');
  end if;

  v_conversation := chat_private.chat_owned_conversation(p_conversation_id, p_session_id, p_user_id, true);

  if v_conversation.status = 'ended' then
    perform chat_private.chat_raise('conversation_ended', 'This conversation has ended.');
  end if;

  update public.conversations c
  set status = p_status::public.conversation_status_enum, updated_at = now()
  where c.id = v_conversation.id
  returning * into v_conversation;

  return chat_private.chat_conversation_json(v_conversation);
end;
$$;

create or replace function public.end_conversation(
  p_conversation_id uuid,
  p_session_id text,
  p_user_id uuid
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_conversation public.conversations;
begin
  v_conversation := chat_private.chat_owned_conversation(p_conversation_id, p_session_id, p_user_id, true);

  if v_conversation.status <> 'ended' then
    update public.conversations c
    set status = 'ended', ended_at = now(), updated_at = now()
    where c.id = v_conversation.id
    returning * into v_conversation;
  end if;

  return chat_private.chat_conversation_json(v_conversation);
end;
$$;

create or replace function public.claim_guest_conversations(
  p_session_id text,
  p_user_id uuid
)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_moved integer;
begin
  if p_user_id is null then
    perform chat_private.chat_raise('invalid_user', 'A user id is required.');
  end if;
  if p_session_id is null or p_session_id = '' then
    return 0;
  end if;

  -- Same lock as post_user_message: a post racing the move either counts as a guest post before
  -- it or finds the conversation already moved.
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('guest:' || p_session_id, 0));

  update public.conversations c
  set user_id = p_user_id,
      session_id = p_user_id::text,
      is_guest_session = false,
      updated_at = now()
  where c.session_id = p_session_id and c.is_guest_session and c.user_id is null;

  get diagnostics v_moved = row_count;
  return v_moved;
end;
$$;

revoke execute on function public.save_assistant_message(uuid, text, uuid, text)
from public, anon, authenticated;
grant execute on function public.save_assistant_message(uuid, text, uuid, text) to service_role;
