-- The chat functions for a public deployment: limits per client address and per account, one
-- reply in flight per conversation, bounded retries, paged reads, titles, stopped replies,
-- regenerate, and deleting a conversation or an account.
--
-- - Limits, counted here so that they hold across server instances (lib/chat/service.ts passes
--   the settings and the client address key of lib/auth/client-ip.ts, as it passes p_guest_limit):
--   new guest sessions per address per hour (a session is new at its first start_conversation),
--   engine uses per address per day for guests (messages, voice messages, retries, regenerations)
--   and per account per day for signed-in users, conversations per guest session. Over a limit:
--   P0001 `rate_limited`, a sentence saying when to come back in DETAIL and
--   `retry_after_seconds=N` in HINT; nothing is saved and nothing is counted.
-- - A reply lease per conversation (reply_lease_id, reply_lease_until, as long as AI_TIMEOUT_MS):
--   post_user_message, post_voice_message and prepare_retry take it and refuse with 409
--   `reply_in_progress` while a live one exists; save_assistant_message and
--   set_conversation_status release it, the holder's only (by id). A conversation whose newest
--   message is an unanswered user message with no live lease reads as `error` (a crash mid-reply),
--   and Retry answers it.
-- - Retries and regenerations of one user message's reply: at most p_max_retries (409
--   `retry_limit_reached`: waiting does not help, a new message does).
-- - get_conversation answers the newest 50 messages and a cursor for earlier ones;
--   list_conversations answers a page and a cursor.
-- - conversations.title (1 to 100 characters) from the first message's first words, renaming,
--   messages.stopped (a reply the visitor stopped, kept as it was), deleting a conversation
--   (messages and audio with it) and an account.
--
-- The functions follow 20251101000000_chat_functions.sql: called by the server as service_role
-- with the caller in p_session_id / p_user_id, errors as P0001 with a stable code, not_found for
-- somebody else's conversation. Functions whose arguments change are dropped first, so that
-- exactly one overload of each exists (PostgREST cannot choose between overloads). New arguments
-- come last with defaults, so earlier calls keep working. Idempotent: `if not exists`,
-- constraints added once, `drop ... if exists`, `create or replace`, grants.

-- TABLE: conversations ------------------------------------------------------------------------
alter table public.conversations add column if not exists reply_lease_id uuid;
alter table public.conversations add column if not exists reply_lease_until timestamptz;

comment on column public.conversations.reply_lease_id is
  'The reply being generated (post_user_message, post_voice_message, prepare_retry); only its holder releases it.';
comment on column public.conversations.reply_lease_until is
  'When that reply''s lease runs out (AI_TIMEOUT_MS after it was taken); a later one may then take over.';

-- Titles from before this migration that the new check would refuse: blank ones become none,
-- longer ones are cut at 100 characters. Nothing else is touched.
update public.conversations c
set title = nullif(pg_catalog.btrim(left(pg_catalog.btrim(c.title), 100)), '')
where c.title is not null and (char_length(c.title) = 0 or char_length(c.title) > 100);

do $$
begin
  alter table public.conversations
    add constraint conversations_title_length check (char_length(title) between 1 and 100);
exception
  when duplicate_object then null;
end
$$;

comment on column public.conversations.title is
  'Set from the first message''s first words (post_user_message); the owner may rename it (1 to 100 characters).';

-- TABLE: messages -----------------------------------------------------------------------------
alter table public.messages add column if not exists stopped boolean not null default false;
alter table public.messages add column if not exists retry_count integer not null default 0;

do $$
begin
  alter table public.messages add constraint messages_retry_count_check check (retry_count >= 0);
exception
  when duplicate_object then null;
end
$$;

comment on column public.messages.stopped is
  'A persona reply the visitor stopped while it streamed: kept as it was, not an error.';
comment on column public.messages.retry_count is
  'For a user message: how often its reply was retried or regenerated (bounded per message).';

-- TABLE: guest_sessions -----------------------------------------------------------------------
-- One row per guest session, from its first conversation on: what must outlive the session's
-- conversations (which the guest may delete) so that deleting cannot reset a limit.
create table if not exists chat_private.guest_sessions (
  session_id text primary key check (char_length(session_id) between 16 and 128),
  -- The client address key it started from; null for one first seen by delete_conversation.
  ip text check (char_length(ip) between 1 and 64),
  started_at timestamptz not null default now(),
  conversations_started integer not null default 0 check (conversations_started >= 0),
  -- Guest messages of the conversations it deleted: they still count against the allowance.
  deleted_message_count integer not null default 0 check (deleted_message_count >= 0)
);

-- TABLE: usage_events -------------------------------------------------------------------------
-- What the rolling-window limits count: a new guest session (kind `session`, per address) and
-- each use of the reply engine (per address for guests, per account for users).
create table if not exists chat_private.usage_events (
  id uuid primary key default gen_random_uuid(),
  -- 'ip:<address key>' for guests, 'user:<user id>' for signed-in users.
  subject text not null check (char_length(subject) between 1 and 100),
  kind text not null check (kind in ('session', 'message', 'retry', 'regenerate')),
  created_at timestamptz not null default now()
);

-- INDEXES -------------------------------------------------------------------------------------
create index if not exists idx_usage_events_subject_time
  on chat_private.usage_events (subject, created_at desc);
create index if not exists idx_usage_events_time on chat_private.usage_events (created_at);
create index if not exists idx_conversations_user_updated
  on public.conversations (user_id, updated_at desc) where user_id is not null;
create index if not exists idx_messages_conversation_created_id
  on public.messages (conversation_id, created_at desc, id desc);

-- RLS -----------------------------------------------------------------------------------------
-- Not exposed by PostgREST, and only the server reads them; RLS is a second lock.
alter table chat_private.guest_sessions enable row level security;
alter table chat_private.usage_events enable row level security;

drop policy if exists "Service role manages guest sessions" on chat_private.guest_sessions;
create policy "Service role manages guest sessions"
  on chat_private.guest_sessions for all to service_role using (true) with check (true);
drop policy if exists "Service role manages usage events" on chat_private.usage_events;
create policy "Service role manages usage events"
  on chat_private.usage_events for all to service_role using (true) with check (true);

-- GRANTS --------------------------------------------------------------------------------------
revoke all on chat_private.guest_sessions, chat_private.usage_events
  from public, anon, authenticated;
grant select, insert, update, delete on chat_private.guest_sessions, chat_private.usage_events
  to service_role;

-- FUNCTIONS: helpers --------------------------------------------------------------------------

-- Trims what JavaScript's String.prototype.trim() trims (zod's .trim() at the boundary).
create or replace function chat_private.chat_trim(p_text text)
returns text
language sql
immutable
set search_path = ''
as $$
  select pg_catalog.btrim(
    coalesce(p_text, ''),
    E' \t\n\r\u000B\u000C\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF'
  )
$$;

-- The limit key of a client address as the app passes it; anything missing counts as `unknown`,
-- so a missing address never switches a limit off.
create or replace function chat_private.chat_ip_key(p_ip text)
returns text
language sql
immutable
set search_path = ''
as $$
  select left(coalesce(nullif(pg_catalog.btrim(coalesce(p_ip, '')), ''), 'unknown'), 64)
$$;

-- A wait in words, for the sentences: "40 seconds", "1 minute", "25 minutes", "3 hours".
create or replace function chat_private.chat_wait_words(p_seconds integer)
returns text
language sql
immutable
set search_path = ''
as $$
  select case
    when s = 1 then '1 second'
    when s < 60 then s || ' seconds'
    when s < 120 then '1 minute'
    when s <= 5400 then ceil(s / 60.0)::integer || ' minutes'
    else ceil(s / 3600.0)::integer || ' hours'
  end
  from (select greatest(coalesce(p_seconds, 1), 1) as s) x
$$;

-- Raises rate_limited: the sentence in DETAIL and, when waiting helps, retry_after_seconds=N in
-- HINT (as local_auth.raise_throttled does for sign-in), which the app turns into Retry-After.
create or replace function chat_private.chat_raise_limited(p_sentence text, p_retry_after integer)
returns void
language plpgsql
set search_path = ''
as $$
begin
  if p_retry_after is null then
    raise exception using errcode = 'P0001', message = 'rate_limited', detail = p_sentence;
  end if;
  raise exception using
    errcode = 'P0001',
    message = 'rate_limited',
    detail = p_sentence,
    hint = 'retry_after_seconds=' || greatest(p_retry_after, 1);
end;
$$;

-- Counts one event of p_kind for p_subject in a rolling window, under a lock on the subject, so
-- concurrent calls are all counted: refused (rate_limited, nothing recorded) when p_max events of
-- that group (`session`, or the engine uses) are in the window already. p_sentence is format()ted
-- with the wait in words. Also drops events older than two days (longer than any window), a few
-- at a time and never waiting for another caller's, so the table stays small.
create or replace function chat_private.chat_count_usage(
  p_subject text,
  p_kind text,
  p_max integer,
  p_window interval,
  p_sentence text
)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_max integer := greatest(coalesce(p_max, 0), 0);
  v_sessions boolean := p_kind = 'session';
  v_count integer;
  v_oldest timestamptz;
  v_wait integer;
begin
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('usage:' || p_subject, 0));

  select count(*), min(e.created_at) into v_count, v_oldest
  from (
    select u.created_at from chat_private.usage_events u
    where u.subject = p_subject
      and (u.kind = 'session') = v_sessions
      and u.created_at > now() - p_window
    order by u.created_at desc
    limit v_max
  ) e;

  if v_count >= v_max then
    -- When the oldest counted event leaves the window, one more is allowed.
    v_wait := ceil(extract(epoch from (coalesce(v_oldest, now()) + p_window - now())))::integer;
    perform chat_private.chat_raise_limited(
      format(p_sentence, chat_private.chat_wait_words(v_wait)),
      v_wait
    );
  end if;

  insert into chat_private.usage_events (subject, kind) values (p_subject, p_kind);

  delete from chat_private.usage_events d
  where d.id in (
    select o.id from chat_private.usage_events o
    where o.created_at < now() - interval '2 days'
    order by o.created_at
    limit 100
    for update skip locked
  );
end;
$$;

-- One use of the reply engine (a message, a retry, a regeneration): per address per day for a
-- guest, per account per day for a signed-in user.
create or replace function chat_private.chat_count_engine_use(
  p_user_id uuid,
  p_ip text,
  p_kind text,
  p_ip_per_day integer,
  p_user_per_day integer
)
returns void
language plpgsql
set search_path = ''
as $$
begin
  if p_user_id is null then
    perform chat_private.chat_count_usage(
      'ip:' || chat_private.chat_ip_key(p_ip), p_kind, coalesce(p_ip_per_day, 200), interval '1 day',
      'Your network has sent as many guest messages as a day allows. Try again in %s, or sign up to keep chatting.'
    );
  else
    perform chat_private.chat_count_usage(
      'user:' || p_user_id::text, p_kind, coalesce(p_user_per_day, 1000), interval '1 day',
      'You have sent as many messages as a day allows. Try again in %s.'
    );
  end if;
end;
$$;

-- Serialises the counted steps of one caller until commit: a guest session (the lock
-- post_user_message and claim_guest_conversations have always taken) or a user. Taken before
-- any row lock, and the address and account counters after it, always in that order.
create or replace function chat_private.chat_lock_caller(p_session_id text, p_user_id uuid)
returns void
language sql
set search_path = ''
as $$
  select pg_catalog.pg_advisory_xact_lock(
    pg_catalog.hashtextextended(
      case when p_user_id is null then 'guest:' || coalesce(p_session_id, '')
           else 'user:' || p_user_id::text end,
      0
    )
  )
$$;

-- The guest messages a session has used: its guest conversations' counts, plus those of the
-- conversations it deleted.
create or replace function chat_private.chat_guest_used(p_session_id text)
returns integer
language sql
stable
set search_path = ''
as $$
  select (
    select coalesce(sum(c.guest_message_count), 0)::integer
    from public.conversations c
    where c.session_id = p_session_id and c.is_guest_session and c.user_id is null
  ) + coalesce((
    select s.deleted_message_count from chat_private.guest_sessions s
    where s.session_id = p_session_id
  ), 0)
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
        'used', u.used,
        'remaining', greatest(p_guest_limit - u.used, 0)
      )
      from (select chat_private.chat_guest_used(p_session_id) as used) u
    )
  end
$$;

-- Whether a reply is being generated in the conversation right now.
create or replace function chat_private.chat_lease_live(p_conversation public.conversations)
returns boolean
language sql
stable
set search_path = ''
as $$
  select coalesce(p_conversation.reply_lease_until > now(), false)
$$;

-- The status the API shows: as stored, except that an active conversation whose newest message
-- is the user's, with no reply being generated, reads `error`: its reply was lost (the server
-- died or the database went away mid-reply), and Retry answers it.
create or replace function chat_private.chat_effective_status(p_conversation public.conversations)
returns text
language sql
stable
set search_path = ''
as $$
  select case
    when p_conversation.status <> 'active' then p_conversation.status::text
    when chat_private.chat_lease_live(p_conversation) then 'active'
    when (
      select m.role from public.messages m
      where m.conversation_id = p_conversation.id
      order by m.created_at desc, m.id desc
      limit 1
    ) = 'user' then 'error'
    else 'active'
  end
$$;

-- A conversation's title from its first message: the first words, at most 60 characters (cut at
-- a space where there is one), with an ellipsis when cut.
create or replace function chat_private.chat_title_from(p_content text)
returns text
language sql
immutable
set search_path = ''
as $$
  select nullif(
    case
      when char_length(t) <= 60 then t
      else coalesce(
        nullif(pg_catalog.rtrim(substring(left(t, 61) from '^(.*) ')), ''),
        left(t, 60)
      ) || '…'
    end,
    ''
  )
  from (
    select pg_catalog.btrim(pg_catalog.regexp_replace(chat_private.chat_trim(p_content), '\s+', ' ', 'g')) as t
  ) x
$$;

-- The cursor of a conversation in list_conversations' order: "<updated_at in µs since the
-- epoch>_<id>", exact to the microsecond and safe in a URL.
create or replace function chat_private.chat_conversation_cursor(p_updated_at timestamptz, p_id uuid)
returns text
language sql
immutable
set search_path = ''
as $$
  select (extract(epoch from p_updated_at) * 1000000)::bigint::text || '_' || p_id::text
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
    'stopped', coalesce(p_message.stopped, false),
    'created_at', p_message.created_at
  )
$$;

-- Stable now, not immutable: the status it shows depends on the conversation's newest message.
create or replace function chat_private.chat_conversation_json(p_conversation public.conversations)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', p_conversation.id,
    'persona_id', p_conversation.persona_id,
    'title', p_conversation.title,
    'status', chat_private.chat_effective_status(p_conversation),
    'is_guest_session', coalesce(p_conversation.is_guest_session, false),
    'guest_message_count', coalesce(p_conversation.guest_message_count, 0),
    'created_at', p_conversation.created_at,
    'updated_at', p_conversation.updated_at,
    'ended_at', p_conversation.ended_at
  )
$$;

-- The persona fields a reply needs, and the most recent p_history_limit messages, oldest first.
-- A reply stopped before its first word is empty and is left out: there is nothing to send.
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
        where m.conversation_id = p_conversation.id
          and m.role in ('user', 'assistant')
          and char_length(m.content) > 0
        order by m.created_at desc, m.id desc
        limit greatest(p_history_limit, 1)
      ) h
    ), '[]'::jsonb)
  )
$$;

-- Refuses while another reply is being generated in the conversation.
create or replace function chat_private.chat_refuse_if_replying(p_conversation public.conversations)
returns void
language plpgsql
set search_path = ''
as $$
begin
  if chat_private.chat_lease_live(p_conversation) then
    perform chat_private.chat_raise(
      'reply_in_progress',
      'A reply is still being written in this conversation. Wait for it to finish, then try again.'
    );
  end if;
end;
$$;

-- The Storage objects (supabase mode) of some messages' audio, for the app to delete after the
-- rows have gone; the database modes keep the bytes in the row, so there are none.
create or replace function chat_private.chat_storage_paths(p_conversation_ids uuid[], p_message_id uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(a.storage_path order by a.created_at, a.storage_path), '[]'::jsonb)
  from chat_private.message_audio a
  where a.storage_path is not null
    and (
      (p_message_id is not null and a.message_id = p_message_id)
      or (p_message_id is null and a.conversation_id = any(p_conversation_ids))
    )
$$;

-- FUNCTIONS: the API --------------------------------------------------------------------------

-- Starts a conversation with an active persona, for a guest session or a user. For a guest, the
-- session's first conversation makes it a new session from p_ip (at most p_ip_sessions_per_hour
-- per address), and a session holds at most p_conversations_per_session conversations (deleted
-- ones included).
drop function if exists public.start_conversation(uuid, text, uuid);
create or replace function public.start_conversation(
  p_persona_id uuid,
  p_session_id text,
  p_user_id uuid,
  p_ip text default null,
  p_ip_sessions_per_hour integer default 20,
  p_conversations_per_session integer default 20
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_conversation public.conversations;
  v_session chat_private.guest_sessions;
  v_owner text;
  v_now timestamptz;
  v_max_conversations integer := coalesce(p_conversations_per_session, 20);
begin
  if p_user_id is null and (p_session_id is null or char_length(p_session_id) not between 16 and 128) then
    perform chat_private.chat_raise('invalid_session', 'A guest session id is required.');
  end if;

  if not exists (select 1 from public.personas p where p.id = p_persona_id and p.is_active) then
    perform chat_private.chat_raise('persona_not_found', 'That persona does not exist or is not available.');
  end if;

  if p_user_id is null then
    perform chat_private.chat_lock_caller(p_session_id, null);

    select * into v_session from chat_private.guest_sessions s where s.session_id = p_session_id;
    if v_session.session_id is null then
      perform chat_private.chat_count_usage(
        'ip:' || chat_private.chat_ip_key(p_ip), 'session', coalesce(p_ip_sessions_per_hour, 20),
        interval '1 hour',
        'Too many new guest sessions have started from your network. Try again in %s, or sign up to keep chatting.'
      );
      -- A session from before this table counts the conversations it has already.
      insert into chat_private.guest_sessions (session_id, ip, conversations_started)
      values (
        p_session_id,
        chat_private.chat_ip_key(p_ip),
        (select count(*) from public.conversations c
         where c.session_id = p_session_id and c.is_guest_session and c.user_id is null)
      )
      returning * into v_session;
    end if;

    if v_session.conversations_started >= v_max_conversations then
      perform chat_private.chat_raise_limited(
        format('A guest can start %s conversations. Sign up to start more.', v_max_conversations),
        null
      );
    end if;

    update chat_private.guest_sessions s
    set conversations_started = s.conversations_started + 1
    where s.session_id = p_session_id;
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

-- Saves the caller's message and returns everything the reply needs, in one atomic step, with
-- the reply's lease: {message, conversation, allowance, lease: {id, expires_at}, persona,
-- history}. Refused, saving and counting nothing: ended (conversation_ended), a reply being
-- generated (reply_in_progress), the guest allowance used up (guest_limit_reached), the guest's
-- address or the user's account over its daily engine uses (rate_limited). All counted under the
-- caller's lock, so any number of concurrent posts save at most what the limits allow.
drop function if exists public.post_user_message(uuid, text, uuid, text, integer, integer);
create or replace function public.post_user_message(
  p_conversation_id uuid,
  p_session_id text,
  p_user_id uuid,
  p_content text,
  p_guest_limit integer default 10,
  p_history_limit integer default 50,
  p_ip text default null,
  p_ip_messages_per_day integer default 200,
  p_user_messages_per_day integer default 1000,
  p_lease_ms integer default 30000
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_content text := chat_private.chat_trim(p_content);
  v_conversation public.conversations;
  v_message public.messages;
  v_used integer;
begin
  if char_length(v_content) = 0 or char_length(v_content) > 4000 then
    perform chat_private.chat_raise('invalid_content', 'A message must be 1 to 4000 characters long.');
  end if;

  perform chat_private.chat_lock_caller(p_session_id, p_user_id);

  v_conversation := chat_private.chat_owned_conversation(p_conversation_id, p_session_id, p_user_id, true);

  if v_conversation.status = 'ended' then
    perform chat_private.chat_raise('conversation_ended', 'This conversation has ended.');
  end if;
  perform chat_private.chat_refuse_if_replying(v_conversation);

  if p_user_id is null then
    v_used := chat_private.chat_guest_used(p_session_id);
    if v_used >= p_guest_limit then
      perform chat_private.chat_raise('guest_limit_reached', 'The guest message limit has been reached. Sign up to keep chatting.');
    end if;
  end if;

  perform chat_private.chat_count_engine_use(
    p_user_id, p_ip, 'message', p_ip_messages_per_day, p_user_messages_per_day
  );

  update public.conversations c
  set guest_message_count = coalesce(c.guest_message_count, 0) + case when p_user_id is null then 1 else 0 end,
      updated_at = chat_private.chat_next_conversation_time(c.session_id),
      title = coalesce(c.title, chat_private.chat_title_from(v_content)),
      reply_lease_id = pg_catalog.gen_random_uuid(),
      reply_lease_until = now() + make_interval(secs => greatest(coalesce(p_lease_ms, 30000), 1) / 1000.0)
  where c.id = v_conversation.id
  returning * into v_conversation;

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
    end,
    'lease', jsonb_build_object('id', v_conversation.reply_lease_id, 'expires_at', v_conversation.reply_lease_until)
  ) || chat_private.chat_reply_context(v_conversation, p_history_limit);
end;
$$;

-- A voice message: exactly post_user_message (the same checks, limits, lock and lease, one
-- message), with its recording stored and audio_url set, in one transaction: a refused post
-- stores nothing.
drop function if exists public.post_voice_message(uuid, text, uuid, text, text, integer, integer, text, text, integer, integer);
create or replace function public.post_voice_message(
  p_conversation_id uuid,
  p_session_id text,
  p_user_id uuid,
  p_content text,
  p_content_type text,
  p_byte_size integer,
  p_duration_ms integer,
  p_data_base64 text default null,
  p_storage_path text default null,
  p_guest_limit integer default 10,
  p_history_limit integer default 50,
  p_ip text default null,
  p_ip_messages_per_day integer default 200,
  p_user_messages_per_day integer default 1000,
  p_lease_ms integer default 30000
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_result jsonb;
  v_message_id uuid;
  v_audio jsonb;
begin
  v_result := public.post_user_message(
    p_conversation_id => p_conversation_id,
    p_session_id => p_session_id,
    p_user_id => p_user_id,
    p_content => p_content,
    p_guest_limit => p_guest_limit,
    p_history_limit => p_history_limit,
    p_ip => p_ip,
    p_ip_messages_per_day => p_ip_messages_per_day,
    p_user_messages_per_day => p_user_messages_per_day,
    p_lease_ms => p_lease_ms
  );
  v_message_id := (v_result -> 'message' ->> 'id')::uuid;

  v_audio := chat_private.chat_store_audio(
    p_conversation_id, v_message_id, p_content_type, p_byte_size, p_duration_ms,
    p_data_base64, p_storage_path
  );

  return pg_catalog.jsonb_set(v_result, '{message,audio_url}', v_audio -> 'audio_url');
end;
$$;

-- Answers a user message again, with a new lease. A retry (p_regenerate false): the newest
-- message is the caller's, unanswered. A regeneration (p_regenerate true): the newest message
-- is the persona's reply to the caller's message before it; that reply is deleted here and the
-- answer replaces it ({replaced: {message_id, storage_paths}}; storage_paths are its Storage
-- objects in supabase mode, for the app to delete). Either way the guest allowance is not used,
-- but it is one use of the engine for the daily limits, and one of the user message's
-- p_max_retries (retry_limit_reached beyond). Refused while a reply is being generated.
drop function if exists public.prepare_retry(uuid, text, uuid, integer, integer);
create or replace function public.prepare_retry(
  p_conversation_id uuid,
  p_session_id text,
  p_user_id uuid,
  p_guest_limit integer default 10,
  p_history_limit integer default 50,
  p_ip text default null,
  p_ip_messages_per_day integer default 200,
  p_user_messages_per_day integer default 1000,
  p_lease_ms integer default 30000,
  p_max_retries integer default 3,
  p_regenerate boolean default false
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_conversation public.conversations;
  v_last public.messages;
  v_target public.messages;
  v_replaced jsonb;
begin
  perform chat_private.chat_lock_caller(p_session_id, p_user_id);

  v_conversation := chat_private.chat_owned_conversation(p_conversation_id, p_session_id, p_user_id, true);

  if v_conversation.status = 'ended' then
    perform chat_private.chat_raise('conversation_ended', 'This conversation has ended.');
  end if;
  perform chat_private.chat_refuse_if_replying(v_conversation);

  select * into v_last from public.messages m
  where m.conversation_id = v_conversation.id
  order by m.created_at desc, m.id desc
  limit 1;

  if not coalesce(p_regenerate, false) then
    if v_last.id is null or v_last.role <> 'user' then
      perform chat_private.chat_raise('nothing_to_retry', 'The last message already has a reply.');
    end if;
    v_target := v_last;
  else
    if v_last.id is not null and v_last.role = 'assistant' then
      select * into v_target from public.messages m
      where m.conversation_id = v_conversation.id
        and (m.created_at, m.id) < (v_last.created_at, v_last.id)
      order by m.created_at desc, m.id desc
      limit 1;
    end if;
    if v_target.id is null or v_target.role <> 'user' then
      perform chat_private.chat_raise('nothing_to_retry', 'There is no reply to your last message to regenerate.');
    end if;
  end if;

  if v_target.retry_count >= greatest(coalesce(p_max_retries, 3), 0) then
    perform chat_private.chat_raise(
      'retry_limit_reached',
      'That message has been answered again as often as allowed. Send a new message instead.'
    );
  end if;

  perform chat_private.chat_count_engine_use(
    p_user_id, p_ip, case when coalesce(p_regenerate, false) then 'regenerate' else 'retry' end,
    p_ip_messages_per_day, p_user_messages_per_day
  );

  if coalesce(p_regenerate, false) then
    v_replaced := jsonb_build_object(
      'message_id', v_last.id,
      'storage_paths', chat_private.chat_storage_paths(null, v_last.id)
    );
    delete from public.messages m where m.id = v_last.id;
  end if;

  update public.messages m set retry_count = m.retry_count + 1 where m.id = v_target.id
  returning * into v_target;

  update public.conversations c
  set reply_lease_id = pg_catalog.gen_random_uuid(),
      reply_lease_until = now() + make_interval(secs => greatest(coalesce(p_lease_ms, 30000), 1) / 1000.0)
  where c.id = v_conversation.id
  returning * into v_conversation;

  return jsonb_build_object(
    'message', chat_private.chat_message_json(v_target),
    'conversation', chat_private.chat_conversation_json(v_conversation),
    'allowance', chat_private.chat_guest_allowance(p_session_id, p_user_id, p_guest_limit),
    'lease', jsonb_build_object('id', v_conversation.reply_lease_id, 'expires_at', v_conversation.reply_lease_until),
    'replaced', v_replaced
  ) || chat_private.chat_reply_context(v_conversation, p_history_limit);
end;
$$;

-- Saves the persona's reply to the user message p_reply_to, releases the reply's lease and sets
-- an errored conversation back to active. p_lease_id is the lease the post or retry returned:
-- while another caller's lease is live, the reply is refused (nothing_to_retry: another reply is
-- being written). Refused once ended, and (nothing_to_retry) unless p_reply_to is still the
-- conversation's newest message. p_stopped: the visitor stopped the reply; what had arrived is
-- saved as it is (possibly nothing) and marked stopped, which is not an error.
drop function if exists public.save_assistant_message(uuid, text, uuid, uuid, text);
create or replace function public.save_assistant_message(
  p_conversation_id uuid,
  p_session_id text,
  p_user_id uuid,
  p_reply_to uuid,
  p_content text,
  p_lease_id uuid default null,
  p_stopped boolean default false
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_conversation public.conversations;
  v_message public.messages;
  v_last public.messages;
  v_stopped boolean := coalesce(p_stopped, false);
begin
  if p_content is null or char_length(p_content) > 32000
    or (char_length(p_content) = 0 and not v_stopped)
  then
    perform chat_private.chat_raise('invalid_content', 'A reply must be 1 to 32000 characters long.');
  end if;

  v_conversation := chat_private.chat_owned_conversation(p_conversation_id, p_session_id, p_user_id, true);

  -- An ended conversation is read-only, replies included (one still streaming when the visitor
  -- ended it is dropped). The row lock above makes this race-free against end_conversation.
  if v_conversation.status = 'ended' then
    perform chat_private.chat_raise('conversation_ended', 'This conversation has ended.');
  end if;

  if chat_private.chat_lease_live(v_conversation)
    and v_conversation.reply_lease_id is distinct from p_lease_id
  then
    perform chat_private.chat_raise('nothing_to_retry', 'Another reply to this conversation is being written.');
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

  insert into public.messages (conversation_id, sender, role, content, stopped, created_at)
  values (
    v_conversation.id, 'assistant', 'assistant', p_content, v_stopped,
    chat_private.chat_next_message_time(v_conversation.id)
  )
  returning * into v_message;

  -- The lease is this caller's or no longer live (checked above): released either way.
  update public.conversations c
  set status = 'active',
      updated_at = chat_private.chat_next_conversation_time(c.session_id),
      reply_lease_id = null,
      reply_lease_until = null
  where c.id = v_conversation.id
  returning * into v_conversation;

  return jsonb_build_object(
    'message', chat_private.chat_message_json(v_message),
    'conversation', chat_private.chat_conversation_json(v_conversation)
  );
end;
$$;

-- Marks a conversation `error` (the reply engine failed for good) or `active` again, and
-- releases the reply's lease: p_lease_id is the failed reply's; while another caller's lease is
-- live this is refused (reply_in_progress), so a late failure never undoes a newer reply.
-- An ended conversation stays ended.
drop function if exists public.set_conversation_status(uuid, text, uuid, text);
create or replace function public.set_conversation_status(
  p_conversation_id uuid,
  p_session_id text,
  p_user_id uuid,
  p_status text,
  p_lease_id uuid default null
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

  if chat_private.chat_lease_live(v_conversation)
    and v_conversation.reply_lease_id is distinct from p_lease_id
  then
    perform chat_private.chat_raise(
      'reply_in_progress',
      'Another reply is being written in this conversation.'
    );
  end if;

  update public.conversations c
  set status = p_status::public.conversation_status_enum,
      updated_at = chat_private.chat_next_conversation_time(c.session_id),
      reply_lease_id = null,
      reply_lease_until = null
  where c.id = v_conversation.id
  returning * into v_conversation;

  return chat_private.chat_conversation_json(v_conversation);
end;
$$;

-- A page of the caller's conversations, most recently active first, with persona and
-- last-message preview: {conversations, has_more, next_before}. p_before is the cursor a
-- previous page returned (next_before); a cursor that is not one is invalid_input.
drop function if exists public.list_conversations(text, uuid, integer);
create or replace function public.list_conversations(
  p_session_id text,
  p_user_id uuid,
  p_limit integer default 50,
  p_before text default null
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_limit integer := greatest(least(coalesce(p_limit, 50), 200), 1);
  v_micros bigint;
  v_before_time timestamptz;
  v_before_id uuid;
  v_items jsonb;
  v_more boolean;
  v_next text;
begin
  if p_before is not null then
    if p_before !~ '^-?[0-9]{1,17}_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
      perform chat_private.chat_raise('invalid_input', 'That page of conversations does not exist; start again from the first page.');
    end if;
    v_micros := pg_catalog.split_part(p_before, '_', 1)::bigint;
    v_before_time := pg_catalog.to_timestamp(v_micros / 1000000)
      + (v_micros % 1000000) * interval '1 microsecond';
    v_before_id := pg_catalog.split_part(p_before, '_', 2)::uuid;
  end if;

  select
    coalesce(jsonb_agg(x.item order by x.n) filter (where x.n <= v_limit), '[]'::jsonb),
    count(*) > v_limit,
    max(case when x.n = v_limit then chat_private.chat_conversation_cursor(x.updated_at, x.id) end)
  into v_items, v_more, v_next
  from (
    select
      c.id,
      c.updated_at,
      row_number() over (order by c.updated_at desc, c.id desc) as n,
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
    where (
        (p_user_id is not null and c.user_id = p_user_id)
        or (
          p_user_id is null and p_session_id is not null
          and c.session_id = p_session_id and c.is_guest_session and c.user_id is null
        )
      )
      and (v_before_time is null or (c.updated_at, c.id) < (v_before_time, v_before_id))
    order by c.updated_at desc, c.id desc
    limit v_limit + 1
  ) x;

  return jsonb_build_object(
    'conversations', v_items,
    'has_more', v_more,
    'next_before', case when v_more then v_next end
  );
end;
$$;

-- One conversation with its persona, the caller's allowance and a page of its messages: the
-- newest p_limit (default 50) before the message p_before (all of them when null), oldest first;
-- has_more and next_before (the oldest message of the page, to pass as p_before) say whether
-- there are earlier ones. A p_before that is not a message of this conversation is invalid_input.
drop function if exists public.get_conversation(uuid, text, uuid, integer);
create or replace function public.get_conversation(
  p_conversation_id uuid,
  p_session_id text,
  p_user_id uuid,
  p_guest_limit integer default 10,
  p_before uuid default null,
  p_limit integer default 50
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_conversation public.conversations;
  v_limit integer := greatest(least(coalesce(p_limit, 50), 200), 1);
  v_before public.messages;
  v_messages jsonb;
  v_more boolean;
  v_next uuid;
begin
  v_conversation := chat_private.chat_owned_conversation(p_conversation_id, p_session_id, p_user_id);

  if p_before is not null then
    select * into v_before from public.messages m
    where m.id = p_before and m.conversation_id = v_conversation.id;
    if v_before.id is null then
      perform chat_private.chat_raise('invalid_input', 'That message is not part of this conversation.');
    end if;
  end if;

  select
    coalesce(jsonb_agg(x.item order by x.n desc) filter (where x.n <= v_limit), '[]'::jsonb),
    count(*) > v_limit,
    (array_agg(x.id) filter (where x.n = v_limit))[1]
  into v_messages, v_more, v_next
  from (
    select
      m.id,
      row_number() over (order by m.created_at desc, m.id desc) as n,
      chat_private.chat_message_json(m) as item
    from public.messages m
    where m.conversation_id = v_conversation.id
      and (v_before.id is null or (m.created_at, m.id) < (v_before.created_at, v_before.id))
    order by m.created_at desc, m.id desc
    limit v_limit + 1
  ) x;

  return jsonb_build_object(
    'conversation', chat_private.chat_conversation_json(v_conversation),
    'persona', (
      select jsonb_build_object(
        'id', p.id, 'slug', p.slug, 'name', p.name, 'tagline', p.tagline,
        'greeting', p.greeting, 'avatar_url', p.avatar_url
      )
      from public.personas p where p.id = v_conversation.persona_id
    ),
    'messages', v_messages,
    'has_more', v_more,
    'next_before', case when v_more then v_next end,
    'allowance', chat_private.chat_guest_allowance(p_session_id, p_user_id, p_guest_limit)
  );
end;
$$;

-- Renames the caller's conversation: 1 to 100 characters after trimming (runs of spaces and line
-- breaks become one space). With p_expected_title, only if the title is still that one (a title
-- the model made after the reply never overwrites one the owner chose meanwhile); otherwise the
-- conversation is returned unchanged. Ended conversations can be renamed too.
create or replace function public.rename_conversation(
  p_conversation_id uuid,
  p_session_id text,
  p_user_id uuid,
  p_title text,
  p_expected_title text default null
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_title text := pg_catalog.regexp_replace(chat_private.chat_trim(p_title), '\s+', ' ', 'g');
  v_conversation public.conversations;
begin
  if char_length(v_title) not between 1 and 100 then
    perform chat_private.chat_raise('invalid_input', 'A title must be 1 to 100 characters long.');
  end if;

  v_conversation := chat_private.chat_owned_conversation(p_conversation_id, p_session_id, p_user_id, true);

  if p_expected_title is null or v_conversation.title is not distinct from p_expected_title then
    update public.conversations c
    set title = v_title
    where c.id = v_conversation.id
    returning * into v_conversation;
  end if;

  return chat_private.chat_conversation_json(v_conversation);
end;
$$;

-- Deletes the caller's conversation with its messages, their audio and its voice sessions
-- (foreign keys cascade): {id, storage_paths}, the Storage objects (supabase mode) of its audio
-- for the app to delete. A guest's deleted messages still count against the allowance, and its
-- conversations against the session's.
create or replace function public.delete_conversation(
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
  v_paths jsonb;
begin
  perform chat_private.chat_lock_caller(p_session_id, p_user_id);

  v_conversation := chat_private.chat_owned_conversation(p_conversation_id, p_session_id, p_user_id, true);
  v_paths := chat_private.chat_storage_paths(array[v_conversation.id], null);

  if v_conversation.is_guest_session and v_conversation.user_id is null then
    insert into chat_private.guest_sessions (session_id, ip, conversations_started)
    values (
      v_conversation.session_id,
      null,
      (select count(*) from public.conversations c
       where c.session_id = v_conversation.session_id and c.is_guest_session and c.user_id is null)
    )
    on conflict (session_id) do nothing;

    update chat_private.guest_sessions s
    set deleted_message_count = s.deleted_message_count + coalesce(v_conversation.guest_message_count, 0)
    where s.session_id = v_conversation.session_id;
  end if;

  delete from public.conversations c where c.id = v_conversation.id;

  return jsonb_build_object('id', v_conversation.id, 'storage_paths', v_paths);
end;
$$;

-- Deletes an account's conversations (with their messages and audio) and its usage counts, then,
-- with p_delete_user, the auth.users row itself (and so its built-in sessions): the database
-- modes. On Supabase the app passes false and deletes the user through the Auth Admin API, since
-- auth.users belongs to Supabase Auth there. Returns {conversations, storage_paths,
-- user_deleted}: how many conversations went, and their Storage objects for the app to delete.
create or replace function public.delete_account(
  p_user_id uuid,
  p_delete_user boolean default true
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_ids uuid[];
  v_paths jsonb;
  v_deleted integer := 0;
begin
  if p_user_id is null then
    perform chat_private.chat_raise('invalid_user', 'A user id is required.');
  end if;

  perform chat_private.chat_lock_caller(null, p_user_id);

  select coalesce(array_agg(c.id), '{}') into v_ids
  from public.conversations c where c.user_id = p_user_id;
  v_paths := chat_private.chat_storage_paths(v_ids, null);

  delete from public.conversations c where c.id = any(v_ids);
  delete from chat_private.usage_events e where e.subject = 'user:' || p_user_id::text;

  if coalesce(p_delete_user, true) then
    delete from auth.users u where u.id = p_user_id;
    get diagnostics v_deleted = row_count;
  end if;

  return jsonb_build_object(
    'conversations', coalesce(array_length(v_ids, 1), 0),
    'storage_paths', v_paths,
    'user_deleted', v_deleted > 0
  );
end;
$$;

-- FUNCTION PRIVILEGES -------------------------------------------------------------------------
-- Only the server (service_role) calls them.
revoke execute on function
  chat_private.chat_trim(text),
  chat_private.chat_ip_key(text),
  chat_private.chat_wait_words(integer),
  chat_private.chat_raise_limited(text, integer),
  chat_private.chat_count_usage(text, text, integer, interval, text),
  chat_private.chat_count_engine_use(uuid, text, text, integer, integer),
  chat_private.chat_lock_caller(text, uuid),
  chat_private.chat_guest_used(text),
  chat_private.chat_guest_allowance(text, uuid, integer),
  chat_private.chat_lease_live(public.conversations),
  chat_private.chat_effective_status(public.conversations),
  chat_private.chat_title_from(text),
  chat_private.chat_conversation_cursor(timestamptz, uuid),
  chat_private.chat_message_json(public.messages),
  chat_private.chat_conversation_json(public.conversations),
  chat_private.chat_reply_context(public.conversations, integer),
  chat_private.chat_refuse_if_replying(public.conversations),
  chat_private.chat_storage_paths(uuid[], uuid),
  public.start_conversation(uuid, text, uuid, text, integer, integer),
  public.post_user_message(uuid, text, uuid, text, integer, integer, text, integer, integer, integer),
  public.post_voice_message(uuid, text, uuid, text, text, integer, integer, text, text, integer, integer, text, integer, integer, integer),
  public.prepare_retry(uuid, text, uuid, integer, integer, text, integer, integer, integer, integer, boolean),
  public.save_assistant_message(uuid, text, uuid, uuid, text, uuid, boolean),
  public.set_conversation_status(uuid, text, uuid, text, uuid),
  public.list_conversations(text, uuid, integer, text),
  public.get_conversation(uuid, text, uuid, integer, uuid, integer),
  public.rename_conversation(uuid, text, uuid, text, text),
  public.delete_conversation(uuid, text, uuid),
  public.delete_account(uuid, boolean)
from public, anon, authenticated;

grant execute on function
  chat_private.chat_trim(text),
  chat_private.chat_ip_key(text),
  chat_private.chat_wait_words(integer),
  chat_private.chat_raise_limited(text, integer),
  chat_private.chat_count_usage(text, text, integer, interval, text),
  chat_private.chat_count_engine_use(uuid, text, text, integer, integer),
  chat_private.chat_lock_caller(text, uuid),
  chat_private.chat_guest_used(text),
  chat_private.chat_guest_allowance(text, uuid, integer),
  chat_private.chat_lease_live(public.conversations),
  chat_private.chat_effective_status(public.conversations),
  chat_private.chat_title_from(text),
  chat_private.chat_conversation_cursor(timestamptz, uuid),
  chat_private.chat_message_json(public.messages),
  chat_private.chat_conversation_json(public.conversations),
  chat_private.chat_reply_context(public.conversations, integer),
  chat_private.chat_refuse_if_replying(public.conversations),
  chat_private.chat_storage_paths(uuid[], uuid),
  public.start_conversation(uuid, text, uuid, text, integer, integer),
  public.post_user_message(uuid, text, uuid, text, integer, integer, text, integer, integer, integer),
  public.post_voice_message(uuid, text, uuid, text, text, integer, integer, text, text, integer, integer, text, integer, integer, integer),
  public.prepare_retry(uuid, text, uuid, integer, integer, text, integer, integer, integer, integer, boolean),
  public.save_assistant_message(uuid, text, uuid, uuid, text, uuid, boolean),
  public.set_conversation_status(uuid, text, uuid, text, uuid),
  public.list_conversations(text, uuid, integer, text),
  public.get_conversation(uuid, text, uuid, integer, uuid, integer),
  public.rename_conversation(uuid, text, uuid, text, text),
  public.delete_conversation(uuid, text, uuid),
  public.delete_account(uuid, boolean)
to service_role;
