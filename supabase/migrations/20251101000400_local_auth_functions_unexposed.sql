-- The built-in sign-in's functions move out of schema public, into schema local_auth.
--
-- PostgREST exposes public (config.toml: public and graphql_public), and 20251101000200 is pushed
-- to Supabase projects too, where nothing calls these functions: local_auth_begin_sign_in there
-- returned password hashes over REST to anyone holding the secret key. In local_auth, which
-- PostgREST does not expose, only the SQL transport can call them, by qualified name
-- (lib/db/sql-transport.ts). Same arguments, results and errors as before; only the names change:
--   public.local_auth_sign_up        → local_auth.sign_up
--   public.local_auth_begin_sign_in  → local_auth.begin_sign_in
--   public.local_auth_finish_sign_in → local_auth.finish_sign_in
--
-- Idempotent: `drop ... if exists`, `create or replace`, grants.

-- FUNCTIONS: out of public --------------------------------------------------------------------
drop function if exists public.local_auth_sign_up(text, text);
drop function if exists public.local_auth_begin_sign_in(text, text, integer, integer, integer);
drop function if exists public.local_auth_finish_sign_in(uuid);

-- FUNCTIONS: the sign-in ----------------------------------------------------------------------

-- Creates a confirmed email + password user. p_password_hash is a bcrypt hash made by the app.
-- Emails are unique case-insensitively (Supabase's own index is on the exact email, so the check
-- is explicit, under a per-email lock). Returns {id, email}.
create or replace function local_auth.sign_up(
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
-- The app verifies the hash and calls local_auth.finish_sign_in only when it matches.
create or replace function local_auth.begin_sign_in(
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
create or replace function local_auth.finish_sign_in(
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
revoke execute on function
  local_auth.sign_up(text, text),
  local_auth.begin_sign_in(text, text, integer, integer, integer),
  local_auth.finish_sign_in(uuid)
from public, anon, authenticated;

grant execute on function
  local_auth.sign_up(text, text),
  local_auth.begin_sign_in(text, text, integer, integer, integer),
  local_auth.finish_sign_in(uuid)
to service_role;
