// A comparable snapshot of a database's schema (everything migrations and the compat SQL create),
// built from the system catalogs so two databases, or one database at two moments, can be diffed.

import type { MigrationTarget } from "@/lib/db/migrations";

/** Every value is text (or null) so that `pg` and PGlite, which parse types differently, agree. */
export type CatalogRow = Record<string, string | null>;

export type CatalogSnapshot = {
  schemas: CatalogRow[];
  extensions: CatalogRow[];
  relations: CatalogRow[];
  columns: CatalogRow[];
  indexes: CatalogRow[];
  constraints: CatalogRow[];
  triggers: CatalogRow[];
  functions: CatalogRow[];
  policies: CatalogRow[];
  enums: CatalogRow[];
  schemaGrants: CatalogRow[];
  tableGrants: CatalogRow[];
  columnGrants: CatalogRow[];
  functionGrants: CatalogRow[];
};

/** Anything with a parameterised query: a pg client adapter, or a PGlite database. */
export type Queryable = Pick<MigrationTarget, "query">;

// The schemas a project owns: everything except Postgres's own. Roles are cluster-wide, not per
// database, so they are not part of a snapshot (scratch databases share them).
const USER_SCHEMA = `n.nspname not like 'pg\\_%' and n.nspname <> 'information_schema'`;

// An ACL as "grantee:privilege[*]" items; a null ACL is written out as the owner's default ACL,
// because "never granted" and "granted the defaults" mean the same.
const aclItems = (acl: string, kind: string, owner: string) => `(
  select coalesce(string_agg(i.item, ',' order by i.item), '')
  from (
    select (case when a.grantee = 0 then 'PUBLIC' else pg_get_userbyid(a.grantee) end)
      || ':' || a.privilege_type || (case when a.is_grantable then '*' else '' end) as item
    from aclexplode(coalesce(${acl}, acldefault('${kind}', ${owner}))) a
  ) i
)`;

const QUERIES: Record<keyof CatalogSnapshot, string> = {
  schemas: `
    select n.nspname as schema, pg_get_userbyid(n.nspowner) as owner,
      obj_description(n.oid, 'pg_namespace') as comment
    from pg_namespace n where ${USER_SCHEMA}`,

  extensions: `select e.extname as name, n.nspname as schema
    from pg_extension e join pg_namespace n on n.oid = e.extnamespace`,

  relations: `
    select n.nspname as schema, c.relname as name, c.relkind::text as kind,
      pg_get_userbyid(c.relowner) as owner,
      c.relrowsecurity::text as rls, c.relforcerowsecurity::text as force_rls,
      obj_description(c.oid, 'pg_class') as comment
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where ${USER_SCHEMA} and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f', 'c')`,

  // position is the column's rank among live columns: a dropped and re-added column leaves a gap
  // in attnum, which is not a difference anyone can observe.
  columns: `
    select n.nspname as schema, c.relname as table,
      (row_number() over (partition by c.oid order by a.attnum))::text as position,
      a.attname as name, format_type(a.atttypid, a.atttypmod) as type,
      a.attnotnull::text as not_null, pg_get_expr(d.adbin, d.adrelid) as default,
      nullif(a.attidentity::text, '') as identity, nullif(a.attgenerated::text, '') as generated,
      (select co.collname from pg_collation co
        where co.oid = a.attcollation and a.attcollation <> t.typcollation) as collation,
      col_description(c.oid, a.attnum) as comment
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    join pg_type t on t.oid = a.atttypid
    left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where ${USER_SCHEMA} and c.relkind in ('r', 'p', 'v', 'm', 'f')
      and a.attnum > 0 and not a.attisdropped`,

  indexes: `
    select n.nspname as schema, t.relname as table, i.relname as name,
      pg_get_indexdef(i.oid) as definition
    from pg_index x
    join pg_class i on i.oid = x.indexrelid
    join pg_class t on t.oid = x.indrelid
    join pg_namespace n on n.oid = i.relnamespace
    where ${USER_SCHEMA}`,

  constraints: `
    select n.nspname as schema, coalesce(t.relname, ty.typname) as table, k.conname as name,
      k.contype::text as type, pg_get_constraintdef(k.oid) as definition
    from pg_constraint k
    join pg_namespace n on n.oid = k.connamespace
    left join pg_class t on t.oid = k.conrelid
    left join pg_type ty on ty.oid = k.contypid
    where ${USER_SCHEMA}`,

  triggers: `
    select n.nspname as schema, c.relname as table, g.tgname as name,
      pg_get_triggerdef(g.oid) as definition, g.tgenabled::text as enabled
    from pg_trigger g
    join pg_class c on c.oid = g.tgrelid
    join pg_namespace n on n.oid = c.relnamespace
    where ${USER_SCHEMA} and not g.tgisinternal`,

  functions: `
    select n.nspname as schema, p.proname as name,
      pg_get_function_identity_arguments(p.oid) as identity_args,
      pg_get_function_arguments(p.oid) as args,
      pg_get_function_result(p.oid) as result,
      p.prokind::text as kind, l.lanname as language, p.provolatile::text as volatility,
      p.prosecdef::text as security_definer, p.proisstrict::text as strict,
      array_to_string(p.proconfig, ',') as config,
      pg_get_userbyid(p.proowner) as owner,
      md5(coalesce(p.prosrc, '')) as body_md5,
      obj_description(p.oid, 'pg_proc') as comment
    from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    join pg_language l on l.oid = p.prolang
    where ${USER_SCHEMA}`,

  policies: `
    select schemaname::text as schema, tablename::text as table, policyname::text as name,
      permissive, array_to_string(roles, ',') as roles, cmd, qual, with_check
    from pg_policies where schemaname not like 'pg\\_%'`,

  enums: `
    select n.nspname as schema, t.typname as name,
      string_agg(e.enumlabel, ',' order by e.enumsortorder) as labels
    from pg_enum e
    join pg_type t on t.oid = e.enumtypid
    join pg_namespace n on n.oid = t.typnamespace
    where ${USER_SCHEMA}
    group by n.nspname, t.typname`,

  schemaGrants: `
    select n.nspname as schema, ${aclItems("n.nspacl", "n", "n.nspowner")} as acl
    from pg_namespace n where ${USER_SCHEMA}`,

  tableGrants: `
    select n.nspname as schema, c.relname as name,
      ${aclItems("c.relacl", "r", "c.relowner")} as acl
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where ${USER_SCHEMA} and c.relkind in ('r', 'p', 'v', 'm', 'f')`,

  columnGrants: `
    select n.nspname as schema, c.relname as table, a.attname as name,
      (select string_agg(i.item, ',' order by i.item) from (
        select (case when x.grantee = 0 then 'PUBLIC' else pg_get_userbyid(x.grantee) end)
          || ':' || x.privilege_type as item
        from aclexplode(a.attacl) x
      ) i) as acl
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    where ${USER_SCHEMA} and a.attacl is not null and not a.attisdropped`,

  functionGrants: `
    select n.nspname as schema, p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
        as signature,
      ${aclItems("p.proacl", "f", "p.proowner")} as acl
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where ${USER_SCHEMA}`,
};

/** Orders rows by all their values, so the snapshot does not depend on catalog scan order. */
function sortRows(rows: CatalogRow[]): CatalogRow[] {
  const key = (row: CatalogRow) => JSON.stringify(Object.values(row));
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Reads the whole user-visible schema of a database. */
export async function catalogSnapshot(db: Queryable): Promise<CatalogSnapshot> {
  // One query at a time: a pg client must not be handed a query while another one runs.
  const snapshot: Partial<CatalogSnapshot> = {};
  for (const section of Object.keys(QUERIES) as (keyof CatalogSnapshot)[]) {
    const { rows } = await db.query<CatalogRow>(QUERIES[section]);
    snapshot[section] = sortRows(rows.map(textRow));
  }
  return snapshot as CatalogSnapshot;
}

function textRow(row: CatalogRow): CatalogRow {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, v === null || v === undefined ? null : String(v)]),
  );
}

/** Row counts of every table in the project's schemas, e.g. {"public.personas": 4}. */
export async function rowCounts(db: Queryable): Promise<Record<string, number>> {
  const { rows } = await db.query<{ name: string }>(
    `select format('%I.%I', n.nspname, c.relname) as name
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where ${USER_SCHEMA} and c.relkind in ('r', 'p')`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of rows.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const { rows: r } = await db.query<{ n: string }>(`select count(*)::text as n from ${name}`);
    counts[name] = Number(r[0]?.n);
  }
  return counts;
}

/**
 * The rows one snapshot has and the other lacks, as readable lines ("- section {row}" only in
 * `expected`, "+ section {row}" only in `actual`); empty when the two are identical.
 */
export function catalogDiff(expected: CatalogSnapshot, actual: CatalogSnapshot): string[] {
  const lines: string[] = [];
  const sections = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  for (const section of sections) {
    const count = (rows: CatalogRow[] | undefined) => {
      const counts = new Map<string, number>();
      for (const row of rows ?? []) {
        const key = JSON.stringify(row);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return counts;
    };
    const want = count(expected[section as keyof CatalogSnapshot]);
    const got = count(actual[section as keyof CatalogSnapshot]);
    for (const [key, n] of want) {
      for (let i = got.get(key) ?? 0; i < n; i++) lines.push(`- ${section} ${key}`);
    }
    for (const [key, n] of got) {
      for (let i = want.get(key) ?? 0; i < n; i++) lines.push(`+ ${section} ${key}`);
    }
  }
  return lines;
}
