-- Revocable sessions and a fairer throttle for the built-in sign-in (embedded and postgres modes),
-- shaped like Supabase Auth's own: a short-lived access JWT (made by the app) plus a refresh token
-- whose SHA-256 is kept here. Sign-out revokes the session; "sign out everywhere" revokes them all;
-- each request checks that its session is still live, so an old cookie reads as signed out.
--
-- Throttle: failures count per (email, address) pair and per address; a per-email count across
-- all addresses applies only at a much higher number, so a stranger guessing from a few addresses
-- cannot lock the owner out. Sign-ups are throttled per address, and an email in use is answered
-- as a result (not an error) so that the attempt stays counted.
--
-- Supabase mode signs in through Supabase Auth and never calls these. Idempotent: `if not
-- exists`, `drop function if exists` for replaced signatures, `create or replace`, grants.

-- TABLE: sessions -----------------------------------------------------------------------------
create table if not exists local_auth.sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  -- SHA-256 (hex) of the current refresh token; the token itself is only in the browser's cookie.
  refresh_token_hash text not null unique check (refresh_token_hash ~ '^[0-9a-f]{64}$'),
  -- The token it replaced, accepted for a few seconds so two tabs refreshing at once both work.
  previous_token_hash text check (previous_token_hash ~ '^[0-9a-f]{64}$'),
  rotated_at timestamptz,
  -- When the password was entered; the session never outlives auth_time + its absolute lifetime.
  auth_time timestamptz not null default now(),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz
);

-- TABLE: sign_up_attempts ---------------------------------------------------------------------
create table if not exists local_auth.sign_up_attempts (
  id uuid primary key default gen_random_uuid(),
  ip text not null check (char_length(ip) between 1 and 64),
  attempted_at timestamptz not null default now()
);

-- INDEXES -------------------------------------------------------------------------------------
create index if not exists idx_local_sessions_user on local_auth.sessions (user_id);
create index if not exists idx_local_sessions_previous
  on local_auth.sessions (previous_token_hash) where previous_token_hash is not null;
create index if not exists idx_local_sessions_expires on local_auth.sessions (expires_at);
create index if not exists idx_sign_up_attempts_ip_time
  on local_auth.sign_up_attempts (ip, attempted_at desc);
create index if not exists idx_sign_in_attempts_email_ip_time
  on local_auth.sign_in_attempts (email, ip, attempted_at desc);

-- RLS -----------------------------------------------------------------------------------------
alter table local_auth.sessions enable row level security;
alter table local_auth.sign_up_attempts enable row level security;

drop policy if exists "Service role manages sessions" on local_auth.sessions;
create policy "Service role manages sessions"
  on local_auth.sessions for all to service_role using (true) with check (true);

drop policy if exists "Service role manages sign-up attempts" on local_auth.sign_up_attempts;
create policy "Service role manages sign-up attempts"
  on local_auth.sign_up_attempts for all to service_role using (true) with check (true);

-- GRANTS --------------------------------------------------------------------------------------
revoke all on local_auth.sessions, local_auth.sign_up_attempts from public, anon, authenticated;
grant select, insert, update, delete on local_auth.sessions, local_auth.sign_up_attempts
  to service_role;

-- FUNCTIONS: helpers --------------------------------------------------------------------------

-- Raises too_many_attempts with the wait in DETAIL (a sentence) and HINT (retry_after_seconds=N).
create or replace function local_auth.raise_throttled(p_what text, p_retry_after integer)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_seconds integer := greatest(coalesce(p_retry_after, 1), 1);
begin
  perform local_auth.auth_raise(
    'too_many_attempts',
    format('Too many %s. Try again in %s.', p_what,
      case when v_seconds < 60 then v_seconds || ' seconds'
           when v_seconds < 120 then '1 minute'
           else ceil(v_seconds / 60.0)::integer || ' minutes' end),
    'retry_after_seconds=' || v_seconds
  );
end;
$$;

-- A new session for a user whose password was just checked: {id, auth_time, expires_at} (epoch
-- seconds). Also drops sessions that ended more than a day ago, so the table stays small.
create or replace function local_auth.open_session(
  p_user_id uuid,
  p_refresh_token_hash text,
  p_session_seconds integer
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_session local_auth.sessions;
begin
  insert into local_auth.sessions (user_id, refresh_token_hash, expires_at)
  values (
    p_user_id,
    p_refresh_token_hash,
    now() + make_interval(secs => greatest(coalesce(p_session_seconds, 0), 60))
  )
  returning * into v_session;

  delete from local_auth.sessions s
  where s.expires_at < now() - interval '1 day'
     or s.revoked_at < now() - interval '1 day';

  return local_auth.session_json(v_session);
end;
$$;

create or replace function local_auth.session_json(p_session local_auth.sessions)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', p_session.id,
    'auth_time', floor(extract(epoch from p_session.auth_time))::bigint,
    'expires_at', floor(extract(epoch from p_session.expires_at))::bigint
  )
$$;

create or replace function local_auth.user_json(p_user_id uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object('id', u.id, 'email', u.email) from auth.users u where u.id = p_user_id
$$;

-- FUNCTIONS: sign-up --------------------------------------------------------------------------
drop function if exists local_auth.sign_up(text, text);

-- Creates a confirmed email + password user and opens its session, unless the address has made
-- too many sign-ups in the window (too_many_attempts). Every attempt counts, including one for an
-- email in use: that is answered {status: "email_taken"} rather than raised, so it stays counted.
-- Otherwise {status: "created", user: {id, email}, session: {...}}.
create or replace function local_auth.sign_up(
  p_email text,
  p_password_hash text,
  p_ip text,
  p_refresh_token_hash text,
  p_session_seconds integer,
  p_max_per_ip integer default 5,
  p_window_seconds integer default 3600
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_email text := local_auth.normalize_email(p_email);
  v_ip text := left(coalesce(nullif(pg_catalog.btrim(coalesce(p_ip, '')), ''), 'unknown'), 64);
  v_window interval := make_interval(secs => greatest(coalesce(p_window_seconds, 3600), 1));
  v_count integer;
  v_oldest timestamptz;
  v_id uuid;
begin
  perform local_auth.check_email(v_email);
  if p_password_hash is null
    or p_password_hash !~ '^[$]2[aby][$](0[4-9]|[12][0-9]|3[01])[$][./A-Za-z0-9]{53}$'
  then
    perform local_auth.auth_raise('invalid_input', 'The password hash must be a bcrypt hash.');
  end if;

  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('local_auth:signup-ip:' || v_ip, 0));
  select count(*), min(a.attempted_at) into v_count, v_oldest
  from (
    select a.attempted_at from local_auth.sign_up_attempts a
    where a.ip = v_ip and a.attempted_at > now() - v_window
    order by a.attempted_at desc
    limit greatest(p_max_per_ip, 1)
  ) a;
  if v_count >= p_max_per_ip then
    perform local_auth.raise_throttled(
      'sign-ups from your network',
      ceil(extract(epoch from (v_oldest + v_window - now())))::integer
    );
  end if;
  insert into local_auth.sign_up_attempts (ip) values (v_ip);
  delete from local_auth.sign_up_attempts a where a.attempted_at < now() - interval '1 day';

  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('local_auth:email:' || v_email, 0));
  if exists (select 1 from auth.users u where pg_catalog.lower(u.email) = v_email) then
    return jsonb_build_object('status', 'email_taken');
  end if;

  insert into auth.users (
    instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
    last_sign_in_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at
  )
  values (
    '00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated',
    v_email, p_password_hash, now(), now(),
    '{"provider": "email", "providers": ["email"]}'::jsonb, '{}'::jsonb, now(), now()
  )
  returning id into v_id;

  return jsonb_build_object(
    'status', 'created',
    'user', local_auth.user_json(v_id),
    'session', local_auth.open_session(v_id, p_refresh_token_hash, p_session_seconds)
  );
end;
$$;

-- FUNCTIONS: sign-in --------------------------------------------------------------------------
drop function if exists local_auth.begin_sign_in(text, text, integer, integer, integer);

-- Starts a sign-in: refuses it (too_many_attempts) when the (email, address) pair, the address,
-- or (at a much higher count) the email across all addresses has had too many failures in the
-- window; otherwise records it as a failure and returns the attempt id with the account's id,
-- email and hash (null when there is no such account). The app verifies the hash and calls
-- finish_sign_in only when it matches. A blocked attempt is not recorded, so waiting works.
create or replace function local_auth.begin_sign_in(
  p_email text,
  p_ip text,
  p_max_per_pair integer default 5,
  p_max_per_ip integer default 20,
  p_max_per_email integer default 100,
  p_window_seconds integer default 900
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_email text := local_auth.normalize_email(p_email);
  v_ip text := left(coalesce(nullif(pg_catalog.btrim(coalesce(p_ip, '')), ''), 'unknown'), 64);
  v_window interval := make_interval(secs => greatest(coalesce(p_window_seconds, 900), 1));
  v_since timestamptz := now() - v_window;
  v_free_at timestamptz;
  v_user_id uuid;
  v_user_email text;
  v_hash text;
  v_attempt_id uuid;
begin
  if char_length(v_email) not between 1 and 255 then
    perform local_auth.auth_raise('invalid_input', 'Enter a valid email address.');
  end if;

  -- Serialise the attempts on one email, then on one address, so concurrent guesses are all
  -- counted. Always in this order, so two attempts cannot wait on each other.
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('local_auth:email:' || v_email, 0));
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('local_auth:ip:' || v_ip, 0));

  -- For each limit that is reached: when its oldest counted failure leaves the window.
  select max(t.free_at) into v_free_at
  from (
    (
      select a.attempted_at + v_window as free_at
      from local_auth.sign_in_attempts a
      where a.email = v_email and a.ip = v_ip and a.attempted_at > v_since
        and not a.succeeded and not a.email_cleared
      order by a.attempted_at desc
      offset greatest(p_max_per_pair - 1, 0) limit 1
    )
    union all
    (
      select a.attempted_at + v_window as free_at
      from local_auth.sign_in_attempts a
      where a.ip = v_ip and a.attempted_at > v_since and not a.succeeded
      order by a.attempted_at desc
      offset greatest(p_max_per_ip - 1, 0) limit 1
    )
    union all
    (
      select a.attempted_at + v_window as free_at
      from local_auth.sign_in_attempts a
      where a.email = v_email and a.attempted_at > v_since
        and not a.succeeded and not a.email_cleared
      order by a.attempted_at desc
      offset greatest(p_max_per_email - 1, 0) limit 1
    )
  ) t;

  if v_free_at is not null then
    perform local_auth.raise_throttled(
      'failed sign-in attempts',
      ceil(extract(epoch from (v_free_at - now())))::integer
    );
  end if;

  select u.id, u.email, u.encrypted_password into v_user_id, v_user_email, v_hash
  from auth.users u
  where pg_catalog.lower(u.email) = v_email and coalesce(u.encrypted_password, '') <> ''
  order by u.created_at
  limit 1;

  insert into local_auth.sign_in_attempts (email, ip, user_id)
  values (v_email, v_ip, v_user_id)
  returning id into v_attempt_id;

  delete from local_auth.sign_in_attempts a
  where a.attempted_at < now() - greatest(v_window, interval '1 day');

  return jsonb_build_object(
    'attempt_id', v_attempt_id,
    'user', case when v_user_id is null then null else jsonb_build_object(
      'id', v_user_id, 'email', v_user_email, 'encrypted_password', v_hash
    ) end
  );
end;
$$;

drop function if exists local_auth.finish_sign_in(uuid);

-- Completes a sign-in whose password the app has verified: the attempt counts as a success, the
-- email's earlier failures are forgiven (the address's are not), last_sign_in_at is set, and a
-- session opens. Returns {user: {id, email}, session: {...}}. An unknown, used or stale
-- (> 5 minutes) attempt is invalid_credentials.
create or replace function local_auth.finish_sign_in(
  p_attempt_id uuid,
  p_refresh_token_hash text,
  p_session_seconds integer
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_attempt local_auth.sign_in_attempts;
  v_user_id uuid;
begin
  update local_auth.sign_in_attempts a
  set succeeded = true
  where a.id = p_attempt_id
    and not a.succeeded
    and a.user_id is not null
    and a.attempted_at > now() - interval '5 minutes'
  returning * into v_attempt;

  if v_attempt.id is null then
    perform local_auth.auth_raise('invalid_credentials', 'The sign-in attempt is not valid; sign in again.');
  end if;

  update local_auth.sign_in_attempts a
  set email_cleared = true
  where a.email = v_attempt.email and not a.succeeded and not a.email_cleared;

  update auth.users u
  set last_sign_in_at = now(), updated_at = now()
  where u.id = v_attempt.user_id
  returning u.id into v_user_id;

  if v_user_id is null then
    perform local_auth.auth_raise('invalid_credentials', 'The account no longer exists.');
  end if;

  return jsonb_build_object(
    'user', local_auth.user_json(v_user_id),
    'session', local_auth.open_session(v_user_id, p_refresh_token_hash, p_session_seconds)
  );
end;
$$;

-- FUNCTIONS: sessions -------------------------------------------------------------------------

-- The user of a live session (not revoked, not expired, user still there), or null.
create or replace function local_auth.session_user(p_session_id uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select local_auth.user_json(s.user_id)
  from local_auth.sessions s
  where s.id = p_session_id and s.revoked_at is null and s.expires_at > now()
$$;

-- Exchanges a refresh token for the session's user and a rotated token. The token it replaced is
-- still accepted for 10 seconds (two requests refreshing at once): then `rotated` is false and
-- the app keeps the cookie the other request set. Null for an unknown, revoked or expired token.
create or replace function local_auth.refresh_session(
  p_refresh_token_hash text,
  p_new_refresh_token_hash text
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_session local_auth.sessions;
begin
  update local_auth.sessions s
  set previous_token_hash = s.refresh_token_hash,
      refresh_token_hash = p_new_refresh_token_hash,
      rotated_at = now()
  where s.refresh_token_hash = p_refresh_token_hash
    and s.revoked_at is null and s.expires_at > now()
  returning * into v_session;

  if v_session.id is not null then
    return jsonb_build_object(
      'user', local_auth.user_json(v_session.user_id),
      'session', local_auth.session_json(v_session),
      'rotated', true
    );
  end if;

  select * into v_session
  from local_auth.sessions s
  where s.previous_token_hash = p_refresh_token_hash
    and s.rotated_at > now() - interval '10 seconds'
    and s.revoked_at is null and s.expires_at > now();

  if v_session.id is null then
    return null;
  end if;
  return jsonb_build_object(
    'user', local_auth.user_json(v_session.user_id),
    'session', local_auth.session_json(v_session),
    'rotated', false
  );
end;
$$;

-- Signs one session out (by its id, or by its refresh token when the access token has expired).
-- Returns how many sessions ended (0 or 1); repeating it is harmless.
create or replace function local_auth.revoke_session(
  p_session_id uuid,
  p_refresh_token_hash text
)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_count integer;
begin
  update local_auth.sessions s
  set revoked_at = now()
  where s.revoked_at is null
    and (s.id = p_session_id or s.refresh_token_hash = p_refresh_token_hash);
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;

-- Signs a user out everywhere. Returns how many sessions ended.
create or replace function local_auth.revoke_user_sessions(p_user_id uuid)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_count integer;
begin
  update local_auth.sessions s
  set revoked_at = now()
  where s.user_id = p_user_id and s.revoked_at is null;
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;

-- FUNCTION PRIVILEGES -------------------------------------------------------------------------
-- Only the server (service_role) calls them; the browser never can, whatever key it holds.
revoke execute on all functions in schema local_auth from public, anon, authenticated;
grant execute on all functions in schema local_auth to service_role;
