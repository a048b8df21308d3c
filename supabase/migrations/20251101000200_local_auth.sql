-- Built-in email + password sign-in for the embedded and postgres modes (DESIGN section 3).
--
-- Supabase mode signs in through Supabase Auth and never calls these functions, but the migration
-- is pushed there too, so it only uses columns that Supabase's own auth.users has. Users live in
-- auth.users with bcrypt hashes as Supabase Auth writes them ($2a$, cost 10): the rows could move
-- to a Supabase project unchanged. The Next.js server hashes and verifies passwords (bcryptjs);
-- these functions store users and keep the sign-in throttle, so that the counts hold across any
-- number of server instances.
--
-- Throttle: every sign-in attempt is recorded as a failure when it begins (so concurrent guesses
-- are all counted) and marked as a success only once the password has verified. Too many
-- failures in the window, per email or per IP, raise too_many_attempts; a blocked attempt is not
-- recorded, so waiting it out always works.
--
-- Errors: SQLSTATE P0001, message = stable code (lib/errors.ts), detail = a sentence; the
-- throttle puts `retry_after_seconds=N` in HINT. Idempotent: `if not exists`, `create or
-- replace`, drop-then-create for policies.

-- SCHEMA --------------------------------------------------------------------------------------
-- Not exposed through PostgREST (config.toml exposes public and graphql_public only).
create schema if not exists local_auth;
revoke all on schema local_auth from public, anon, authenticated;
grant usage on schema local_auth to service_role;

-- TABLE: sign_in_attempts ---------------------------------------------------------------------
create table if not exists local_auth.sign_in_attempts (
  id uuid primary key default gen_random_uuid(),
  -- Normalised (trimmed, lower case); also for emails that have no account.
  email text not null check (char_length(email) between 1 and 255),
  -- The client's address as the server saw it; null when unknown (then only the email counts).
  ip text check (char_length(ip) between 1 and 64),
  user_id uuid,
  attempted_at timestamptz not null default now(),
  succeeded boolean not null default false,
  -- A later successful sign-in forgives the email's earlier failures, but not the IP's.
  email_cleared boolean not null default false
);

-- INDEXES -------------------------------------------------------------------------------------
create index if not exists idx_sign_in_attempts_email_time
  on local_auth.sign_in_attempts (email, attempted_at desc);
create index if not exists idx_sign_in_attempts_ip_time
  on local_auth.sign_in_attempts (ip, attempted_at desc) where ip is not null;
create index if not exists idx_sign_in_attempts_time
  on local_auth.sign_in_attempts (attempted_at);

-- RLS -----------------------------------------------------------------------------------------
alter table local_auth.sign_in_attempts enable row level security;

drop policy if exists "Service role manages sign-in attempts" on local_auth.sign_in_attempts;
create policy "Service role manages sign-in attempts"
  on local_auth.sign_in_attempts for all to service_role using (true) with check (true);

-- GRANTS --------------------------------------------------------------------------------------
revoke all on local_auth.sign_in_attempts from public, anon, authenticated;
grant select, insert, update, delete on local_auth.sign_in_attempts to service_role;

-- FUNCTIONS: helpers --------------------------------------------------------------------------
create or replace function local_auth.auth_raise(p_code text, p_detail text, p_hint text default null)
returns void
language plpgsql
set search_path = ''
as $$
begin
  if p_hint is null then
    raise exception using errcode = 'P0001', message = p_code, detail = p_detail;
  end if;
  raise exception using errcode = 'P0001', message = p_code, detail = p_detail, hint = p_hint;
end;
$$;

create or replace function local_auth.normalize_email(p_email text)
returns text
language sql
immutable
set search_path = ''
as $$
  select pg_catalog.lower(pg_catalog.btrim(coalesce(p_email, ''), E' \t\r\n'))
$$;

-- Raises invalid_input unless the (normalised) email looks like one: the app validates first,
-- this keeps junk out of auth.users whoever calls.
create or replace function local_auth.check_email(p_email text)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if char_length(p_email) not between 3 and 255 or p_email !~ '^[^@[:space:]]+@[^@[:space:]]+$' then
    perform local_auth.auth_raise('invalid_input', 'Enter a valid email address.');
  end if;
end;
$$;

-- FUNCTIONS: the API --------------------------------------------------------------------------

-- Creates a confirmed email + password user. p_password_hash is a bcrypt hash made by the app.
-- Emails are unique case-insensitively (Supabase's own index is on the exact email, so the check
-- is explicit, under a per-email lock). Returns {id, email}.
create or replace function public.local_auth_sign_up(
  p_email text,
  p_password_hash text
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_email text := local_auth.normalize_email(p_email);
  v_id uuid;
begin
  perform local_auth.check_email(v_email);
  if p_password_hash is null
    or p_password_hash !~ '^[$]2[aby][$](0[4-9]|[12][0-9]|3[01])[$][./A-Za-z0-9]{53}$'
  then
    perform local_auth.auth_raise('invalid_input', 'The password hash must be a bcrypt hash.');
  end if;

  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('local_auth:email:' || v_email, 0));

  if exists (select 1 from auth.users u where pg_catalog.lower(u.email) = v_email) then
    perform local_auth.auth_raise('email_taken', 'An account with that email already exists.');
  end if;

  begin
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
  exception when unique_violation then
    -- A row written around the lock (e.g. by hand) with the same email.
    perform local_auth.auth_raise('email_taken', 'An account with that email already exists.');
  end;

  return jsonb_build_object('id', v_id, 'email', v_email);
end;
$$;

-- Starts a sign-in: refuses it (too_many_attempts) when the email or the IP has had too many
-- failures in the window, otherwise records it as a failure and returns the attempt id with the
-- account's id, email and hash (null when there is no such account, or it has no password).
-- The app verifies the hash and calls local_auth_finish_sign_in only when it matches.
create or replace function public.local_auth_begin_sign_in(
  p_email text,
  p_ip text,
  p_max_per_email integer default 5,
  p_max_per_ip integer default 20,
  p_window_seconds integer default 900
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_email text := local_auth.normalize_email(p_email);
  v_ip text := nullif(pg_catalog.btrim(coalesce(p_ip, '')), '');
  v_window interval := make_interval(secs => greatest(coalesce(p_window_seconds, 900), 1));
  v_since timestamptz := now() - v_window;
  v_email_failures integer;
  v_ip_failures integer;
  v_free_at timestamptz;
  v_retry_after integer;
  v_user_id uuid;
  v_user_email text;
  v_hash text;
  v_attempt_id uuid;
begin
  if char_length(v_email) not between 1 and 255 then
    perform local_auth.auth_raise('invalid_input', 'Enter a valid email address.');
  end if;
  if v_ip is not null and char_length(v_ip) > 64 then
    v_ip := left(v_ip, 64);
  end if;

  -- Serialise the attempts on one email, then on one IP, so concurrent guesses are all counted.
  -- Always in this order (the IP lock last), so two attempts cannot wait on each other.
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('local_auth:email:' || v_email, 0));
  if v_ip is not null then
    perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('local_auth:ip:' || v_ip, 0));
  end if;

  select count(*) into v_email_failures
  from local_auth.sign_in_attempts a
  where a.email = v_email and a.attempted_at > v_since and not a.succeeded and not a.email_cleared;

  v_ip_failures := 0;
  if v_ip is not null then
    select count(*) into v_ip_failures
    from local_auth.sign_in_attempts a
    where a.ip = v_ip and a.attempted_at > v_since and not a.succeeded;
  end if;

  if v_email_failures >= p_max_per_email or v_ip_failures >= p_max_per_ip then
    -- When enough of the failures have left the window for one more attempt to be allowed.
    select max(t.free_at) into v_free_at
    from (
      (
        select a.attempted_at + v_window as free_at
        from local_auth.sign_in_attempts a
        where v_email_failures >= p_max_per_email
          and a.email = v_email and a.attempted_at > v_since and not a.succeeded and not a.email_cleared
        order by a.attempted_at desc
        offset greatest(p_max_per_email - 1, 0) limit 1
      )
      union all
      (
        select a.attempted_at + v_window as free_at
        from local_auth.sign_in_attempts a
        where v_ip_failures >= p_max_per_ip
          and a.ip = v_ip and a.attempted_at > v_since and not a.succeeded
        order by a.attempted_at desc
        offset greatest(p_max_per_ip - 1, 0) limit 1
      )
    ) t;
    v_retry_after := greatest(ceil(extract(epoch from (coalesce(v_free_at, now() + v_window) - now())))::integer, 1);
    perform local_auth.auth_raise(
      'too_many_attempts',
      format('Too many failed sign-in attempts. Try again in %s.',
        case when v_retry_after < 60 then v_retry_after || ' seconds'
             when v_retry_after < 120 then '1 minute'
             else ceil(v_retry_after / 60.0)::integer || ' minutes' end),
      'retry_after_seconds=' || v_retry_after
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

  -- Keeps the table small; the index on attempted_at makes this cheap when there is nothing to do.
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

-- Completes a sign-in whose password the app has verified: the attempt counts as a success, the
-- email's earlier failures are forgiven (the IP's are not), last_sign_in_at is set.
-- Returns {id, email}. An unknown, used or stale (> 5 minutes) attempt is invalid_credentials.
create or replace function public.local_auth_finish_sign_in(
  p_attempt_id uuid
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_attempt local_auth.sign_in_attempts;
  v_user_id uuid;
  v_user_email text;
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
  returning u.id, u.email into v_user_id, v_user_email;

  if v_user_id is null then
    perform local_auth.auth_raise('invalid_credentials', 'The account no longer exists.');
  end if;

  return jsonb_build_object('id', v_user_id, 'email', v_user_email);
end;
$$;

-- FUNCTION PRIVILEGES -------------------------------------------------------------------------
-- Only the server (service_role) calls them; the browser never can, whatever key it holds.
revoke execute on all functions in schema local_auth from public, anon, authenticated;
grant execute on all functions in schema local_auth to service_role;

revoke execute on function
  public.local_auth_sign_up(text, text),
  public.local_auth_begin_sign_in(text, text, integer, integer, integer),
  public.local_auth_finish_sign_in(uuid)
from public, anon, authenticated;

grant execute on function
  public.local_auth_sign_up(text, text),
  public.local_auth_begin_sign_in(text, text, integer, integer, integer),
  public.local_auth_finish_sign_in(uuid)
to service_role;
