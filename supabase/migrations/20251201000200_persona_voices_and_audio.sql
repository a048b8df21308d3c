-- Voice: every persona gets a voice, messages get their audio, live sessions their transcripts.
--
-- personas: `elevenlabs_voice_id` (the ElevenLabs voice when ELEVENLABS_API_KEY is set) and
-- `voice` (the built-in eSpeak NG voice: {"voice": "en-gb+m3", "pitch": 0-99, "speed": 80-450}),
-- distinct for each default persona. Audio lives in chat_private.message_audio, a schema that
-- PostgREST does not expose: the bytes themselves in postgres and embedded modes, or the object
-- path in the private Storage bucket `message-audio` in supabase mode. A message's audio is
-- deleted with the message, and so with its conversation. `messages.audio_url` holds the app path
-- /api/conversations/{id}/messages/{messageId}/audio, never a storage URL.
--
-- The functions follow 20251101000000_chat_functions.sql: called by the server as service_role
-- with the caller in `p_session_id` / `p_user_id`, errors as P0001 with a stable code, not_found
-- for somebody else's conversation. Idempotent: `if not exists`, `create or replace`, grants,
-- and the bucket is created only where it is missing.

-- TABLE: personas -----------------------------------------------------------------------------
-- Whether a built-in voice is one eSpeak NG can be given: a voice name (language, optional
-- variant after "+") that cannot be read as a command-line option, and pitch and speed in range.
create schema if not exists chat_private;

create or replace function chat_private.chat_valid_builtin_voice(p_voice jsonb)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select case
    when p_voice is null then true
    when pg_catalog.jsonb_typeof(p_voice) <> 'object' then false
    when pg_catalog.jsonb_typeof(p_voice -> 'voice') <> 'string'
      or pg_catalog.jsonb_typeof(p_voice -> 'pitch') <> 'number'
      or pg_catalog.jsonb_typeof(p_voice -> 'speed') <> 'number' then false
    else (p_voice ->> 'voice') ~ '^[a-z]{2,3}(-[a-z0-9]{1,8}){0,3}(\+[a-z0-9_]{1,20})?$'
      and (p_voice ->> 'pitch') ~ '^[0-9]{1,2}$'
      and (p_voice ->> 'speed') ~ '^[0-9]{2,3}$'
      and (p_voice ->> 'speed')::integer between 80 and 450
  end
$$;

alter table public.personas add column if not exists elevenlabs_voice_id text;
alter table public.personas add column if not exists voice jsonb;

do $$
begin
  alter table public.personas
    add constraint personas_elevenlabs_voice_id_check
    check (elevenlabs_voice_id ~ '^[A-Za-z0-9]{1,64}$');
exception
  when duplicate_object then null;
end
$$;

do $$
begin
  alter table public.personas
    add constraint personas_voice_check check (chat_private.chat_valid_builtin_voice(voice));
exception
  when duplicate_object then null;
end
$$;

comment on column public.personas.elevenlabs_voice_id is
  'The ElevenLabs voice the persona speaks with when ElevenLabs is configured.';
comment on column public.personas.voice is
  'The built-in (eSpeak NG) voice: {"voice": "en-gb+m3", "pitch": 0-99, "speed": 80-450 words a minute}.';

-- Distinct voices for the default personas; a voice an operator has set already is kept.
-- The ElevenLabs ids are voices of its default library.
update public.personas p
set voice = v.voice, elevenlabs_voice_id = coalesce(p.elevenlabs_voice_id, v.elevenlabs_voice_id)
from (
  values
    ('socrates', '{"voice": "en-gb-x-rp+m1", "pitch": 35, "speed": 150}'::jsonb, 'onwK4e9ZLuTAKqWW03F9'),
    ('captain-nova', '{"voice": "en-us+f3", "pitch": 62, "speed": 175}'::jsonb, '21m00Tcm4TlvDq8ikWAM'),
    ('chef-remy', '{"voice": "en-gb+m3", "pitch": 48, "speed": 165}'::jsonb, 'ErXwobaYiN019PkySvjV'),
    ('zen-master-kai', '{"voice": "en-gb-scotland+m7", "pitch": 22, "speed": 130}'::jsonb, 'N2lVS1w4EtoT3dr4eOWO')
) as v (slug, voice, elevenlabs_voice_id)
where p.slug = v.slug and p.voice is null;

-- TABLE: message_audio ------------------------------------------------------------------------
-- One recording per message: a persona's spoken reply (made on first request) or the visitor's
-- voice message. Exactly one of `data` (postgres and embedded modes) and `storage_path` (supabase
-- mode: the object in bucket message-audio) holds it. conversation_id is kept beside message_id so
-- the Storage objects of a conversation can be found by prefix.
create table if not exists chat_private.message_audio (
  message_id uuid primary key references public.messages (id) on delete cascade,
  conversation_id uuid not null references public.conversations (id) on delete cascade,
  content_type text not null
    check (content_type in ('audio/mpeg', 'audio/wav', 'audio/ogg', 'audio/webm')),
  byte_size integer not null check (byte_size between 1 and 10485760),
  duration_ms integer not null check (duration_ms between 1 and 600000),
  data bytea,
  storage_path text check (char_length(storage_path) between 1 and 200),
  created_at timestamptz not null default now(),
  constraint message_audio_one_place check ((data is null) <> (storage_path is null)),
  constraint message_audio_size_matches check (data is null or octet_length(data) = byte_size)
);

-- TABLE: voice_sessions -----------------------------------------------------------------------
-- The live ElevenLabs sessions whose transcripts have been saved: the primary key makes saving a
-- transcript happen once, however often it is asked for.
create table if not exists chat_private.voice_sessions (
  elevenlabs_conversation_id text primary key
    check (elevenlabs_conversation_id ~ '^[A-Za-z0-9_-]{1,128}$'),
  conversation_id uuid not null references public.conversations (id) on delete cascade,
  message_count integer not null check (message_count >= 0),
  saved_at timestamptz not null default now()
);

-- INDEXES -------------------------------------------------------------------------------------
create index if not exists idx_message_audio_conversation
  on chat_private.message_audio (conversation_id);
create index if not exists idx_voice_sessions_conversation
  on chat_private.voice_sessions (conversation_id);

-- RLS -----------------------------------------------------------------------------------------
-- Not exposed by PostgREST, and only the server reads them; RLS is a second lock.
alter table chat_private.message_audio enable row level security;
alter table chat_private.voice_sessions enable row level security;

drop policy if exists "Service role manages message audio" on chat_private.message_audio;
create policy "Service role manages message audio"
  on chat_private.message_audio for all to service_role using (true) with check (true);
drop policy if exists "Service role manages voice sessions" on chat_private.voice_sessions;
create policy "Service role manages voice sessions"
  on chat_private.voice_sessions for all to service_role using (true) with check (true);

-- GRANTS --------------------------------------------------------------------------------------
revoke all on chat_private.message_audio, chat_private.voice_sessions
  from public, anon, authenticated;
grant select, insert, update, delete on chat_private.message_audio, chat_private.voice_sessions
  to service_role;

-- STORAGE -------------------------------------------------------------------------------------
-- Supabase mode keeps the bytes in a private bucket (no policies: only the secret key, which
-- bypasses RLS, reaches it). Plain Postgres and PGlite have no storage schema: nothing happens.
do $$
begin
  if to_regclass('storage.buckets') is not null then
    execute $sql$
      insert into storage.buckets (id, name, public)
      values ('message-audio', 'message-audio', false)
      on conflict (id) do nothing
    $sql$;
  end if;
end
$$;

-- FUNCTIONS: helpers --------------------------------------------------------------------------
-- The app path that serves a message's audio (what messages.audio_url and the API's audioUrl hold).
create or replace function chat_private.chat_audio_path(p_conversation_id uuid, p_message_id uuid)
returns text
language sql
immutable
set search_path = ''
as $$
  select '/api/conversations/' || p_conversation_id::text || '/messages/' || p_message_id::text || '/audio'
$$;

create or replace function chat_private.chat_audio_json(p_audio chat_private.message_audio)
returns jsonb
language sql
immutable
set search_path = ''
as $$
  select jsonb_build_object(
    'content_type', p_audio.content_type,
    'byte_size', p_audio.byte_size,
    'duration_ms', p_audio.duration_ms,
    'storage_path', p_audio.storage_path,
    'created_at', p_audio.created_at
  )
$$;

-- The persona's voices: {elevenlabs_voice_id, builtin}, or null for a conversation without one.
create or replace function chat_private.chat_persona_voice(p_persona_id uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object('elevenlabs_voice_id', p.elevenlabs_voice_id, 'builtin', p.voice)
  from public.personas p
  where p.id = p_persona_id
$$;

-- Saves a recording for a message of the conversation (checked by the caller) and sets its
-- audio_url, unless the message has one already: the first recording is kept, and the result
-- says which one is stored. Bounds are checked here as well as in the app.
create or replace function chat_private.chat_store_audio(
  p_conversation_id uuid,
  p_message_id uuid,
  p_content_type text,
  p_byte_size integer,
  p_duration_ms integer,
  p_data_base64 text,
  p_storage_path text
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_audio chat_private.message_audio;
  v_data bytea;
  v_created boolean := false;
begin
  if p_content_type is null
    or p_content_type not in ('audio/mpeg', 'audio/wav', 'audio/ogg', 'audio/webm')
    or p_byte_size is null or p_byte_size not between 1 and 10485760
    or p_duration_ms is null or p_duration_ms not between 1 and 600000
    or (p_data_base64 is null) = (p_storage_path is null)
  then
    perform chat_private.chat_raise('invalid_audio', 'The recording is not valid audio within the limits.');
  end if;

  if p_data_base64 is not null then
    v_data := pg_catalog.decode(p_data_base64, 'base64');
    if pg_catalog.octet_length(v_data) <> p_byte_size then
      perform chat_private.chat_raise('invalid_audio', 'The recording''s size does not match its bytes.');
    end if;
  end if;

  insert into chat_private.message_audio (
    message_id, conversation_id, content_type, byte_size, duration_ms, data, storage_path
  )
  values (
    p_message_id, p_conversation_id, p_content_type, p_byte_size, p_duration_ms, v_data, p_storage_path
  )
  on conflict (message_id) do nothing
  returning * into v_audio;

  if v_audio.message_id is not null then
    v_created := true;
    update public.messages m
    set audio_url = chat_private.chat_audio_path(p_conversation_id, p_message_id)
    where m.id = p_message_id;
  else
    select * into v_audio from chat_private.message_audio a where a.message_id = p_message_id;
  end if;

  return chat_private.chat_audio_json(v_audio) || jsonb_build_object(
    'created', v_created,
    'audio_url', chat_private.chat_audio_path(p_conversation_id, p_message_id)
  );
end;
$$;

-- FUNCTIONS: the API --------------------------------------------------------------------------

-- A message of the caller's conversation with its stored audio (bytes inline, base64, in the
-- database modes) and the persona's voices, so the first request can synthesize it. not_found
-- for somebody else's conversation and for a message that is not in this conversation.
create or replace function public.get_message_audio(
  p_conversation_id uuid,
  p_message_id uuid,
  p_session_id text,
  p_user_id uuid
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_conversation public.conversations;
  v_message public.messages;
  v_audio chat_private.message_audio;
begin
  v_conversation := chat_private.chat_owned_conversation(p_conversation_id, p_session_id, p_user_id);

  select * into v_message from public.messages m
  where m.id = p_message_id and m.conversation_id = v_conversation.id;
  if v_message.id is null then
    perform chat_private.chat_raise('not_found', 'Message not found.');
  end if;

  select * into v_audio from chat_private.message_audio a where a.message_id = v_message.id;

  return jsonb_build_object(
    'message', chat_private.chat_message_json(v_message),
    'audio', case
      when v_audio.message_id is null then null
      else chat_private.chat_audio_json(v_audio) || jsonb_build_object(
        'data', case when v_audio.data is null then null else pg_catalog.encode(v_audio.data, 'base64') end
      )
    end,
    'voice', chat_private.chat_persona_voice(v_conversation.persona_id)
  );
end;
$$;

-- Stores the synthesized audio of a persona's reply and sets its audio_url. Idempotent: when two
-- requests synthesize the same reply at once, the first stored is kept and both serve it.
create or replace function public.save_message_audio(
  p_conversation_id uuid,
  p_message_id uuid,
  p_session_id text,
  p_user_id uuid,
  p_content_type text,
  p_byte_size integer,
  p_duration_ms integer,
  p_data_base64 text default null,
  p_storage_path text default null
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_conversation public.conversations;
  v_message public.messages;
begin
  v_conversation := chat_private.chat_owned_conversation(p_conversation_id, p_session_id, p_user_id);

  select * into v_message from public.messages m
  where m.id = p_message_id and m.conversation_id = v_conversation.id;
  if v_message.id is null then
    perform chat_private.chat_raise('not_found', 'Message not found.');
  end if;
  if v_message.role <> 'assistant' then
    perform chat_private.chat_raise('not_found', 'Only a persona''s replies are spoken.');
  end if;

  return chat_private.chat_store_audio(
    v_conversation.id, v_message.id, p_content_type, p_byte_size, p_duration_ms,
    p_data_base64, p_storage_path
  );
end;
$$;

-- A voice message: exactly post_user_message (the same checks, the same guest allowance under
-- the same lock, one message), with its recording stored and audio_url set, in one transaction:
-- a refused post stores nothing.
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
  p_history_limit integer default 50
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
    p_conversation_id, p_session_id, p_user_id, p_content, p_guest_limit, p_history_limit
  );
  v_message_id := (v_result -> 'message' ->> 'id')::uuid;

  v_audio := chat_private.chat_store_audio(
    p_conversation_id, v_message_id, p_content_type, p_byte_size, p_duration_ms,
    p_data_base64, p_storage_path
  );

  return pg_catalog.jsonb_set(v_result, '{message,audio_url}', v_audio -> 'audio_url');
end;
$$;

-- What a live voice session with the persona needs: its prompt, first message and voices.
-- Signed-in users only (guests: sign_in_required); refused once the conversation has ended.
create or replace function public.get_voice_session_context(
  p_conversation_id uuid,
  p_session_id text,
  p_user_id uuid
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_conversation public.conversations;
begin
  if p_user_id is null then
    perform chat_private.chat_raise('sign_in_required', 'Sign in to talk live with a persona.');
  end if;

  v_conversation := chat_private.chat_owned_conversation(p_conversation_id, p_session_id, p_user_id);

  if v_conversation.status = 'ended' then
    perform chat_private.chat_raise('conversation_ended', 'This conversation has ended.');
  end if;

  return jsonb_build_object(
    'conversation', chat_private.chat_conversation_json(v_conversation),
    'persona', (
      select jsonb_build_object(
        'id', p.id, 'slug', p.slug, 'name', p.name,
        'system_prompt', p.system_prompt, 'greeting', p.greeting
      ) || chat_private.chat_persona_voice(p.id)
      from public.personas p where p.id = v_conversation.persona_id
    )
  );
end;
$$;

-- Saves the turns of a finished live session as messages, in order, and records the session on
-- the conversation (elevenlabs_session_id). Idempotent: a session already saved saves nothing and
-- answers `saved: false`; a session saved into another conversation is not_found.
-- p_turns: [{"role": "user" | "assistant", "content": "..."}], at most 1000.
create or replace function public.save_voice_transcript(
  p_conversation_id uuid,
  p_session_id text,
  p_user_id uuid,
  p_elevenlabs_conversation_id text,
  p_turns jsonb
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_conversation public.conversations;
  v_session chat_private.voice_sessions;
  v_turn jsonb;
  v_role text;
  v_content text;
  v_count integer := 0;
begin
  if p_user_id is null then
    perform chat_private.chat_raise('sign_in_required', 'Sign in to talk live with a persona.');
  end if;
  if p_elevenlabs_conversation_id is null
    or p_elevenlabs_conversation_id !~ '^[A-Za-z0-9_-]{1,128}$'
  then
    perform chat_private.chat_raise('invalid_input', 'The voice session id is not valid.');
  end if;
  if p_turns is null or pg_catalog.jsonb_typeof(p_turns) <> 'array'
    or pg_catalog.jsonb_array_length(p_turns) > 1000
  then
    perform chat_private.chat_raise('invalid_input', 'The transcript must be a list of at most 1000 turns.');
  end if;

  v_conversation := chat_private.chat_owned_conversation(p_conversation_id, p_session_id, p_user_id, true);

  -- Under the conversation's row lock, so of two concurrent saves of one session exactly one
  -- inserts; a session id is saved into one conversation only.
  select * into v_session from chat_private.voice_sessions s
  where s.elevenlabs_conversation_id = p_elevenlabs_conversation_id;
  if v_session.elevenlabs_conversation_id is not null then
    if v_session.conversation_id <> v_conversation.id then
      perform chat_private.chat_raise('not_found', 'That voice session is not part of this conversation.');
    end if;
    return jsonb_build_object(
      'saved', false,
      'message_count', v_session.message_count,
      'conversation', chat_private.chat_conversation_json(v_conversation)
    );
  end if;

  if v_conversation.status = 'ended' then
    perform chat_private.chat_raise('conversation_ended', 'This conversation has ended.');
  end if;

  for v_turn in select t.value from pg_catalog.jsonb_array_elements(p_turns) with ordinality as t (value, n) order by t.n
  loop
    v_role := v_turn ->> 'role';
    v_content := v_turn ->> 'content';
    if v_role is null or v_role not in ('user', 'assistant')
      or v_content is null or char_length(v_content) not between 1 and 32000
    then
      perform chat_private.chat_raise('invalid_input', 'Each turn needs a role (user or assistant) and 1 to 32000 characters.');
    end if;
    insert into public.messages (conversation_id, sender, role, content, created_at)
    values (
      v_conversation.id, v_role, v_role, v_content,
      chat_private.chat_next_message_time(v_conversation.id)
    );
    v_count := v_count + 1;
  end loop;

  insert into chat_private.voice_sessions (elevenlabs_conversation_id, conversation_id, message_count)
  values (p_elevenlabs_conversation_id, v_conversation.id, v_count);

  update public.conversations c
  set elevenlabs_session_id = p_elevenlabs_conversation_id,
      updated_at = chat_private.chat_next_conversation_time(c.session_id)
  where c.id = v_conversation.id
  returning * into v_conversation;

  return jsonb_build_object(
    'saved', true,
    'message_count', v_count,
    'conversation', chat_private.chat_conversation_json(v_conversation)
  );
end;
$$;

-- FUNCTION PRIVILEGES -------------------------------------------------------------------------
-- Only the server (service_role) calls them.
revoke execute on function
  chat_private.chat_valid_builtin_voice(jsonb),
  chat_private.chat_audio_path(uuid, uuid),
  chat_private.chat_audio_json(chat_private.message_audio),
  chat_private.chat_persona_voice(uuid),
  chat_private.chat_store_audio(uuid, uuid, text, integer, integer, text, text),
  public.get_message_audio(uuid, uuid, text, uuid),
  public.save_message_audio(uuid, uuid, text, uuid, text, integer, integer, text, text),
  public.post_voice_message(uuid, text, uuid, text, text, integer, integer, text, text, integer, integer),
  public.get_voice_session_context(uuid, text, uuid),
  public.save_voice_transcript(uuid, text, uuid, text, jsonb)
from public, anon, authenticated;

grant execute on function
  chat_private.chat_valid_builtin_voice(jsonb),
  chat_private.chat_audio_path(uuid, uuid),
  chat_private.chat_audio_json(chat_private.message_audio),
  chat_private.chat_persona_voice(uuid),
  chat_private.chat_store_audio(uuid, uuid, text, integer, integer, text, text),
  public.get_message_audio(uuid, uuid, text, uuid),
  public.save_message_audio(uuid, uuid, text, uuid, text, integer, integer, text, text),
  public.post_voice_message(uuid, text, uuid, text, text, integer, integer, text, text, integer, integer),
  public.get_voice_session_context(uuid, text, uuid),
  public.save_voice_transcript(uuid, text, uuid, text, jsonb)
to service_role;
