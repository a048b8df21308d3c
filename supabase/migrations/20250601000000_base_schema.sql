-- Base schema: personas, conversations and messages as they stood before 2025-06-27.
--
-- `messages.sender` is the legacy column that 20250627_add_conversations_columns.sql carries into
-- `role`. Legacy clients wrote free-form senders ('ai', 'bot', 'User', ...), which that migration
-- normalises, so `sender` only has a length check here. Idempotent: every object is created only
-- when missing.

-- TABLE: personas -----------------------------------------------------------------------------
create table if not exists public.personas (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name text not null check (char_length(name) between 1 and 100),
  tagline text not null default '' check (char_length(tagline) <= 200),
  system_prompt text not null check (char_length(system_prompt) between 1 and 8000),
  greeting text not null default '' check (char_length(greeting) <= 1000),
  avatar_url text check (char_length(avatar_url) <= 2048),
  is_active boolean not null default true,
  sort_order integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- TABLE: conversations ------------------------------------------------------------------------
create table if not exists public.conversations (
  id uuid primary key default gen_random_uuid(),
  user_id uuid references auth.users (id) on delete cascade,
  title text check (char_length(title) <= 200),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- TABLE: messages -----------------------------------------------------------------------------
create table if not exists public.messages (
  id uuid primary key default gen_random_uuid(),
  conversation_id uuid not null references public.conversations (id) on delete cascade,
  sender text not null check (char_length(sender) between 1 and 32),
  content text not null check (char_length(content) <= 32000),
  created_at timestamptz not null default now()
);

-- INDEXES -------------------------------------------------------------------------------------
create index if not exists idx_conversations_user_id on public.conversations (user_id);
create index if not exists idx_messages_conversation_created
  on public.messages (conversation_id, created_at);
