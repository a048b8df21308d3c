-- Catches up databases that recorded an earlier draft of 20251101000000_chat_functions.sql.
--
-- That migration was edited after databases had applied it (new timestamp helpers, Unicode trim,
-- replies refused once a conversation has ended, save_assistant_message taking p_reply_to,
-- system prompts hidden from the public keys). `supabase db push` and the embedded applier never
-- run a recorded migration again, so those databases kept the old functions and grants. This file
-- states again, verbatim, everything that changed in it since it first landed; on a database
-- that already has the final version it changes nothing.
--
-- Migrations are append-only from here on: supabase/migrations.sum holds their checksums.
-- Idempotent: `create or replace`, `drop ... if exists`, grants.

-- GRANTS --------------------------------------------------------------------------------------
-- Personas are public, but their system prompts are the product's own: not readable by the
-- public keys.
revoke select on public.personas from anon, authenticated;
grant select (id, slug, name, tagline, greeting, avatar_url, is_active, sort_order, created_at, updated_at)
  on public.personas to anon, authenticated;

-- FUNCTIONS: helpers --------------------------------------------------------------------------
-- Timestamps that order correctly. now() is the transaction's start, and PGlite's clock ticks in
-- milliseconds, so two steps in a row can share a timestamp (or be stamped out of order) and would
-- then sort by their random ids: a reply before its question, the wrong "last message" for a
-- retry, conversations listed in the wrong order. Each new stamp is therefore at least 1 µs after
-- the latest one it is ordered against. Callers hold the conversation's row lock (and a guest's
-- posts the session lock), so this is also race-free.
create or replace function chat_private.chat_next_message_time(p_conversation_id uuid)
returns timestamptz
language sql
stable
set search_path = ''
as $$
  select greatest(
    now(),
    (select max(m.created_at) from public.messages m where m.conversation_id = p_conversation_id)
      + interval '1 microsecond'
  )
$$;

-- The same for the list of a caller's conversations (newest first by updated_at); p_owner is
-- conversations.session_id: the guest session, or the user id for a user's conversations.
create or replace function chat_private.chat_next_conversation_time(p_owner text)
returns timestamptz
language sql
stable
set search_path = ''
as $$
  select greatest(
    now(),
    (select max(c.updated_at) from public.conversations c where c.session_id = p_owner)
      + interval '1 microsecond'
  )
$$;

-- FUNCTIONS: the API --------------------------------------------------------------------------

-- Starts a conversation with an active persona, for a guest session or a user.
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
  v_owner text;
  v_now timestamptz;
begin
  if p_user_id is null and (p_session_id is null or char_length(p_session_id) not between 16 and 128) then
    perform chat_private.chat_raise('invalid_session', 'A guest session id is required.');
  end if;

  if not exists (select 1 from public.personas p where p.id = p_persona_id and p.is_active) then
    perform chat_private.chat_raise('persona_not_found', 'That persona does not exist or is not available.');
  end if;

  v_owner := coalesce(p_user_id::text, p_session_id);
  v_now := chat_private.chat_next_conversation_time(v_owner);

  insert into public.conversations (
    user_id, persona_id, session_id, is_guest_session, guest_message_count, status, created_at, updated_at
  )
  values (p_user_id, p_persona_id, v_owner, p_user_id is null, 0, 'active', v_now, v_now)
  returning * into v_conversation;

  return chat_private.chat_conversation_json(v_conversation);
end;
$$;

-- Saves the caller's message and returns everything the reply needs, in one atomic step.
-- For a guest, the allowance check and the increment happen under a per-session lock, so any
-- number of concurrent posts save at most p_guest_limit messages; a refused post saves nothing.
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
  -- Trims what JavaScript's String.prototype.trim() trims (zod's .trim() at the boundary), so a
  -- message of only non-breaking or other Unicode spaces is empty here too, not a saved blank.
  v_content text := btrim(
    coalesce(p_content, ''),
    E' \t\n\r\u000B\u000C\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF'
  );
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
    set guest_message_count = coalesce(c.guest_message_count, 0) + 1,
        updated_at = chat_private.chat_next_conversation_time(c.session_id)
    where c.id = v_conversation.id
    returning * into v_conversation;
  else
    update public.conversations c
    set updated_at = chat_private.chat_next_conversation_time(c.session_id)
    where c.id = v_conversation.id
    returning * into v_conversation;
  end if;

  insert into public.messages (conversation_id, sender, role, content, created_at)
  values (
    v_conversation.id, 'user', 'user', v_content,
    chat_private.chat_next_message_time(v_conversation.id)
  )
  returning * into v_message;

  return jsonb_build_object(
    'message', chat_private.chat_message_json(v_message),
    'conversation', chat_private.chat_conversation_json(v_conversation),
    -- Built from the sum already taken under the session lock, not summed a second time.
    'allowance', case
      when p_user_id is null then jsonb_build_object(
        'limit', p_guest_limit,
        'used', v_used + 1,
        'remaining', greatest(p_guest_limit - (v_used + 1), 0)
      )
    end
  ) || chat_private.chat_reply_context(v_conversation, p_history_limit);
end;
$$;

-- Saves the persona's reply to the user message p_reply_to and sets an errored conversation back
-- to active. Refused once ended, and refused (nothing_to_retry) unless p_reply_to is still the
-- conversation's newest message: a concurrent retry already answered it, or a newer post arrived
-- while it streamed. Either way this reply is dropped instead of duplicated or saved out of order.
-- The 4-argument version is dropped first so that exactly one overload exists.
drop function if exists public.save_assistant_message(uuid, text, uuid, text);
create or replace function public.save_assistant_message(
  p_conversation_id uuid,
  p_session_id text,
  p_user_id uuid,
  p_reply_to uuid,
  p_content text
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_conversation public.conversations;
  v_message public.messages;
  v_last public.messages;
begin
  if char_length(coalesce(p_content, '')) = 0 or char_length(p_content) > 32000 then
    perform chat_private.chat_raise('invalid_content', 'A reply must be 1 to 32000 characters long.');
  end if;

  v_conversation := chat_private.chat_owned_conversation(p_conversation_id, p_session_id, p_user_id, true);

  -- An ended conversation is read-only, replies included (one still streaming when the visitor
  -- ended it is dropped). The row lock above makes this race-free against end_conversation.
  if v_conversation.status = 'ended' then
    perform chat_private.chat_raise('conversation_ended', 'This conversation has ended.');
  end if;

  -- Under the same row lock (posts and other saves take it too), so of two concurrent replies to
  -- one message exactly one is saved, and a reply never lands after a newer question.
  select * into v_last from public.messages m
  where m.conversation_id = v_conversation.id
  order by m.created_at desc, m.id desc
  limit 1;

  if v_last.id is null or v_last.role <> 'user' or v_last.id is distinct from p_reply_to then
    perform chat_private.chat_raise('nothing_to_retry', 'That message is no longer waiting for a reply.');
  end if;

  insert into public.messages (conversation_id, sender, role, content, created_at)
  values (
    v_conversation.id, 'assistant', 'assistant', p_content,
    chat_private.chat_next_message_time(v_conversation.id)
  )
  returning * into v_message;

  update public.conversations c
  set status = 'active',
      updated_at = chat_private.chat_next_conversation_time(c.session_id)
  where c.id = v_conversation.id
  returning * into v_conversation;

  return jsonb_build_object(
    'message', chat_private.chat_message_json(v_message),
    'conversation', chat_private.chat_conversation_json(v_conversation)
  );
end;
$$;

-- Marks a conversation `error` (the reply engine failed for good) or `active` again.
-- An ended conversation stays ended.
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
  set status = p_status::public.conversation_status_enum,
      updated_at = chat_private.chat_next_conversation_time(c.session_id)
  where c.id = v_conversation.id
  returning * into v_conversation;

  return chat_private.chat_conversation_json(v_conversation);
end;
$$;

-- Ends a conversation: read-only from now on. Ending it again changes nothing.
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
    set status = 'ended',
        ended_at = now(),
        updated_at = chat_private.chat_next_conversation_time(c.session_id)
    where c.id = v_conversation.id
    returning * into v_conversation;
  end if;

  return chat_private.chat_conversation_json(v_conversation);
end;
$$;

-- Moves a guest session's conversations to a user, in one statement: user_id set,
-- session_id = the user id, is_guest_session = false. Only conversations still owned by that
-- guest session move; running it again moves nothing. Returns how many moved.
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

  -- updated_at is kept: one now() for all of them would shuffle their order in the user's list.
  update public.conversations c
  set user_id = p_user_id,
      session_id = p_user_id::text,
      is_guest_session = false
  where c.session_id = p_session_id and c.is_guest_session and c.user_id is null;

  get diagnostics v_moved = row_count;
  return v_moved;
end;
$$;

-- FUNCTION PRIVILEGES -------------------------------------------------------------------------
-- Only the server (service_role) calls them.
revoke execute on function
  chat_private.chat_next_message_time(uuid),
  chat_private.chat_next_conversation_time(text),
  public.start_conversation(uuid, text, uuid),
  public.post_user_message(uuid, text, uuid, text, integer, integer),
  public.save_assistant_message(uuid, text, uuid, uuid, text),
  public.set_conversation_status(uuid, text, uuid, text),
  public.end_conversation(uuid, text, uuid),
  public.claim_guest_conversations(text, uuid)
from public, anon, authenticated;

grant execute on function
  chat_private.chat_next_message_time(uuid),
  chat_private.chat_next_conversation_time(text),
  public.start_conversation(uuid, text, uuid),
  public.post_user_message(uuid, text, uuid, text, integer, integer),
  public.save_assistant_message(uuid, text, uuid, uuid, text),
  public.set_conversation_status(uuid, text, uuid, text),
  public.end_conversation(uuid, text, uuid),
  public.claim_guest_conversations(text, uuid)
to service_role;
