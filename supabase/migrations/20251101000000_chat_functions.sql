-- The chat domain's rules, as SQL functions, plus RLS and grants on the three tables.
--
-- The Next.js server calls these functions (and nothing else) as `service_role`, through
-- supabase-js `.rpc()` in Supabase mode or the SQL transport elsewhere, so every mode enforces the
-- same rules atomically. The caller is passed explicitly: `p_user_id` for a signed-in user,
-- otherwise `p_session_id` for a guest session. Errors are raised with SQLSTATE P0001 and a stable
-- code as the message (see lib/db/errors.ts); the human sentence is in DETAIL.
-- Idempotent: `create or replace` for functions, drop-then-create for policies.

-- INDEXES -------------------------------------------------------------------------------------
create index if not exists idx_conversations_session_updated
  on public.conversations (session_id, updated_at desc);

-- RLS -----------------------------------------------------------------------------------------
alter table public.personas enable row level security;
alter table public.conversations enable row level security;
alter table public.messages enable row level security;

drop policy if exists "Active personas are readable by everyone" on public.personas;
create policy "Active personas are readable by everyone"
  on public.personas for select
  to anon, authenticated
  using (is_active);

drop policy if exists "Users can read their own conversations" on public.conversations;
create policy "Users can read their own conversations"
  on public.conversations for select
  to authenticated
  using (user_id = (select auth.uid()));

drop policy if exists "Users can read messages of their own conversations" on public.messages;
create policy "Users can read messages of their own conversations"
  on public.messages for select
  to authenticated
  using (
    exists (
      select 1 from public.conversations c
      where c.id = conversation_id and c.user_id = (select auth.uid())
    )
  );

drop policy if exists "Service role manages personas" on public.personas;
create policy "Service role manages personas"
  on public.personas for all to service_role using (true) with check (true);
drop policy if exists "Service role manages conversations" on public.conversations;
create policy "Service role manages conversations"
  on public.conversations for all to service_role using (true) with check (true);
drop policy if exists "Service role manages messages" on public.messages;
create policy "Service role manages messages"
  on public.messages for all to service_role using (true) with check (true);

-- GRANTS --------------------------------------------------------------------------------------
-- The browser never writes: anon and authenticated may only read, and RLS decides which rows.
grant select on public.conversations, public.messages to anon, authenticated;
-- Personas are public, but their system prompts are the product's own: not readable by the
-- public keys.
revoke select on public.personas from anon, authenticated;
grant select (id, slug, name, tagline, greeting, avatar_url, is_active, sort_order, created_at, updated_at)
  on public.personas to anon, authenticated;
revoke insert, update, delete, truncate on public.personas, public.conversations, public.messages
  from anon, authenticated;
grant select, insert, update, delete on public.personas, public.conversations, public.messages
  to service_role;

-- FUNCTIONS: helpers --------------------------------------------------------------------------
-- In their own schema, which PostgREST does not expose, so they are not part of the API.
create schema if not exists chat_private;
revoke all on schema chat_private from public, anon, authenticated;
grant usage on schema chat_private to service_role;

-- Raises the project's error: a stable code (lib/db/errors.ts maps it) and a human sentence.
create or replace function chat_private.chat_raise(p_code text, p_detail text)
returns void
language plpgsql
set search_path = ''
as $$
begin
  raise exception using errcode = 'P0001', message = p_code, detail = p_detail;
end;
$$;

-- The conversation if the caller owns it; raises not_found otherwise (also for somebody else's,
-- so that a probe cannot tell the two apart). Locks the row when p_lock is set.
create or replace function chat_private.chat_owned_conversation(
  p_conversation_id uuid,
  p_session_id text,
  p_user_id uuid,
  p_lock boolean default false
)
returns public.conversations
language plpgsql
set search_path = ''
as $$
declare
  v_conversation public.conversations;
begin
  if p_user_id is null and (p_session_id is null or p_session_id = '') then
    perform chat_private.chat_raise('not_found', 'Conversation not found.');
  end if;

  if p_lock then
    select * into v_conversation from public.conversations c
    where c.id = p_conversation_id
    for update;
  else
    select * into v_conversation from public.conversations c
    where c.id = p_conversation_id;
  end if;

  if v_conversation.id is null
    or (p_user_id is not null and v_conversation.user_id is distinct from p_user_id)
    or (
      p_user_id is null
      and (
        v_conversation.user_id is not null
        or not coalesce(v_conversation.is_guest_session, false)
        or v_conversation.session_id is distinct from p_session_id
      )
    )
  then
    perform chat_private.chat_raise('not_found', 'Conversation not found.');
  end if;

  return v_conversation;
end;
$$;

-- The guest allowance of a session: {limit, used, remaining}, or null for a signed-in user.
create or replace function chat_private.chat_guest_allowance(
  p_session_id text,
  p_user_id uuid,
  p_guest_limit integer
)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select case
    when p_user_id is not null then null
    else (
      select jsonb_build_object(
        'limit', p_guest_limit,
        'used', coalesce(sum(c.guest_message_count), 0),
        'remaining', greatest(p_guest_limit - coalesce(sum(c.guest_message_count), 0), 0)
      )
      from public.conversations c
      where c.session_id = p_session_id and c.is_guest_session and c.user_id is null
    )
  end
$$;

-- The persona fields a reply needs, and the most recent p_history_limit messages, oldest first.
create or replace function chat_private.chat_reply_context(
  p_conversation public.conversations,
  p_history_limit integer
)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'persona', (
      select jsonb_build_object(
        'id', p.id, 'slug', p.slug, 'name', p.name,
        'system_prompt', p.system_prompt, 'greeting', p.greeting
      )
      from public.personas p where p.id = p_conversation.persona_id
    ),
    'history', coalesce((
      select jsonb_agg(jsonb_build_object('role', h.role, 'content', h.content) order by h.created_at, h.id)
      from (
        select m.role, m.content, m.created_at, m.id
        from public.messages m
        where m.conversation_id = p_conversation.id and m.role in ('user', 'assistant')
        order by m.created_at desc, m.id desc
        limit greatest(p_history_limit, 1)
      ) h
    ), '[]'::jsonb)
  )
$$;

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

create or replace function chat_private.chat_message_json(p_message public.messages)
returns jsonb
language sql
immutable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', p_message.id,
    'conversation_id', p_message.conversation_id,
    'role', p_message.role,
    'content', p_message.content,
    'audio_url', p_message.audio_url,
    'created_at', p_message.created_at
  )
$$;

create or replace function chat_private.chat_conversation_json(p_conversation public.conversations)
returns jsonb
language sql
immutable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', p_conversation.id,
    'persona_id', p_conversation.persona_id,
    'status', p_conversation.status,
    'is_guest_session', coalesce(p_conversation.is_guest_session, false),
    'guest_message_count', coalesce(p_conversation.guest_message_count, 0),
    'created_at', p_conversation.created_at,
    'updated_at', p_conversation.updated_at,
    'ended_at', p_conversation.ended_at
  )
$$;

-- FUNCTIONS: the API --------------------------------------------------------------------------

-- The active personas, in gallery order.
create or replace function public.list_personas()
returns table (
  id uuid,
  slug text,
  name text,
  tagline text,
  greeting text,
  avatar_url text
)
language sql
stable
set search_path = ''
as $$
  select p.id, p.slug, p.name, p.tagline, p.greeting, p.avatar_url
  from public.personas p
  where p.is_active
  order by p.sort_order, p.name
$$;

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

-- What a retry needs: the conversation's last message must be the caller's, still unanswered.
-- Nothing is saved and nothing counts against the allowance.
create or replace function public.prepare_retry(
  p_conversation_id uuid,
  p_session_id text,
  p_user_id uuid,
  p_guest_limit integer default 10,
  p_history_limit integer default 50
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_conversation public.conversations;
  v_last public.messages;
begin
  v_conversation := chat_private.chat_owned_conversation(p_conversation_id, p_session_id, p_user_id);

  if v_conversation.status = 'ended' then
    perform chat_private.chat_raise('conversation_ended', 'This conversation has ended.');
  end if;

  select * into v_last from public.messages m
  where m.conversation_id = v_conversation.id
  order by m.created_at desc, m.id desc
  limit 1;

  if v_last.id is null or v_last.role <> 'user' then
    perform chat_private.chat_raise('nothing_to_retry', 'The last message already has a reply.');
  end if;

  return jsonb_build_object(
    'message', chat_private.chat_message_json(v_last),
    'conversation', chat_private.chat_conversation_json(v_conversation),
    'allowance', chat_private.chat_guest_allowance(p_session_id, p_user_id, p_guest_limit)
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

-- The caller's conversations, most recently active first, with persona and last-message preview.
create or replace function public.list_conversations(
  p_session_id text,
  p_user_id uuid,
  p_limit integer default 50
)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(x.item order by x.updated_at desc, x.id desc), '[]'::jsonb)
  from (
    select
      c.id,
      c.updated_at,
      chat_private.chat_conversation_json(c) || jsonb_build_object(
        'persona', jsonb_build_object('id', p.id, 'slug', p.slug, 'name', p.name, 'avatar_url', p.avatar_url),
        'last_message', (
          select jsonb_build_object('role', m.role, 'content', left(m.content, 160), 'created_at', m.created_at)
          from public.messages m
          where m.conversation_id = c.id
          order by m.created_at desc, m.id desc
          limit 1
        ),
        'message_count', (select count(*) from public.messages m where m.conversation_id = c.id)
      ) as item
    from public.conversations c
    left join public.personas p on p.id = c.persona_id
    where
      (p_user_id is not null and c.user_id = p_user_id)
      or (
        p_user_id is null and p_session_id is not null
        and c.session_id = p_session_id and c.is_guest_session and c.user_id is null
      )
    order by c.updated_at desc, c.id desc
    limit greatest(least(coalesce(p_limit, 50), 200), 1)
  ) x
$$;

-- One conversation with its persona, all its messages (oldest first) and the caller's allowance.
create or replace function public.get_conversation(
  p_conversation_id uuid,
  p_session_id text,
  p_user_id uuid,
  p_guest_limit integer default 10
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_conversation public.conversations;
begin
  v_conversation := chat_private.chat_owned_conversation(p_conversation_id, p_session_id, p_user_id);

  return jsonb_build_object(
    'conversation', chat_private.chat_conversation_json(v_conversation),
    'persona', (
      select jsonb_build_object(
        'id', p.id, 'slug', p.slug, 'name', p.name, 'tagline', p.tagline,
        'greeting', p.greeting, 'avatar_url', p.avatar_url
      )
      from public.personas p where p.id = v_conversation.persona_id
    ),
    'messages', coalesce((
      select jsonb_agg(chat_private.chat_message_json(m) order by m.created_at, m.id)
      from public.messages m
      where m.conversation_id = v_conversation.id
    ), '[]'::jsonb),
    'allowance', chat_private.chat_guest_allowance(p_session_id, p_user_id, p_guest_limit)
  );
end;
$$;

-- The allowance of a guest session (for screens that have no conversation yet).
create or replace function public.get_guest_allowance(
  p_session_id text,
  p_guest_limit integer default 10
)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select chat_private.chat_guest_allowance(p_session_id, null, p_guest_limit)
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
-- Only the server (service_role) calls the functions. list_personas reads public data only.
revoke execute on all functions in schema chat_private from public, anon, authenticated;
grant execute on all functions in schema chat_private to service_role;

revoke execute on function
  public.list_personas(),
  public.start_conversation(uuid, text, uuid),
  public.post_user_message(uuid, text, uuid, text, integer, integer),
  public.prepare_retry(uuid, text, uuid, integer, integer),
  public.save_assistant_message(uuid, text, uuid, uuid, text),
  public.set_conversation_status(uuid, text, uuid, text),
  public.end_conversation(uuid, text, uuid),
  public.list_conversations(text, uuid, integer),
  public.get_conversation(uuid, text, uuid, integer),
  public.get_guest_allowance(text, integer),
  public.claim_guest_conversations(text, uuid)
from public, anon, authenticated;

grant execute on function
  public.list_personas(),
  public.start_conversation(uuid, text, uuid),
  public.post_user_message(uuid, text, uuid, text, integer, integer),
  public.prepare_retry(uuid, text, uuid, integer, integer),
  public.save_assistant_message(uuid, text, uuid, uuid, text),
  public.set_conversation_status(uuid, text, uuid, text),
  public.end_conversation(uuid, text, uuid),
  public.list_conversations(text, uuid, integer),
  public.get_conversation(uuid, text, uuid, integer),
  public.get_guest_allowance(text, integer),
  public.claim_guest_conversations(text, uuid)
to service_role;

grant execute on function public.list_personas() to anon, authenticated;
