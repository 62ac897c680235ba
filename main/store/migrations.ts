/** Versioned schema changes, applied in order; `user_version` records how far a database has come. */
export const MIGRATIONS: string[] = [
  `
  CREATE TABLE tenants (
    uuid TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE clusters (
    uuid TEXT PRIMARY KEY,
    tenant_uuid TEXT NOT NULL REFERENCES tenants(uuid),
    name TEXT NOT NULL,
    desc TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL CHECK (source IN ('deployed', 'imported')),
    state TEXT NOT NULL,
    state_desc TEXT NOT NULL DEFAULT '',
    api_server TEXT NOT NULL DEFAULT '',
    kube_version TEXT,
    kubeconfig_enc BLOB,
    settings TEXT NOT NULL DEFAULT '{}',
    ssh_enc BLOB,
    is_high_available INTEGER NOT NULL DEFAULT 0,
    cluster_node_scale TEXT NOT NULL DEFAULT '',
    pod_cidr TEXT NOT NULL DEFAULT '',
    service_cidr TEXT NOT NULL DEFAULT '',
    cert_expiry INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX clusters_tenant ON clusters(tenant_uuid, name);
  CREATE TABLE nodes (
    cluster_uuid TEXT NOT NULL REFERENCES clusters(uuid) ON DELETE CASCADE,
    ip TEXT NOT NULL,
    node_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('master', 'worker')),
    state TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (cluster_uuid, ip)
  );
  CREATE TABLE deploys (
    id TEXT PRIMARY KEY,
    cluster_uuid TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('deploy', 'node_create')),
    request TEXT NOT NULL,
    state TEXT NOT NULL,
    current_stage INTEGER NOT NULL DEFAULT 0,
    is_over INTEGER NOT NULL DEFAULT 0,
    err_info TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    finished_at INTEGER
  );
  CREATE INDEX deploys_cluster ON deploys(cluster_uuid, created_at);
  CREATE TABLE deploy_stages (
    deploy_id TEXT NOT NULL REFERENCES deploys(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    name TEXT NOT NULL,
    name_cn TEXT NOT NULL,
    start_time INTEGER NOT NULL DEFAULT 0,
    end_time INTEGER NOT NULL DEFAULT 0,
    success INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    is_finish INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (deploy_id, idx)
  );
  CREATE TABLE deploy_hosts (
    deploy_id TEXT NOT NULL REFERENCES deploys(id) ON DELETE CASCADE,
    addr TEXT NOT NULL,
    role TEXT NOT NULL,
    message TEXT NOT NULL,
    time INTEGER NOT NULL,
    PRIMARY KEY (deploy_id, addr)
  );
  CREATE TABLE deploy_steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    deploy_id TEXT NOT NULL REFERENCES deploys(id) ON DELETE CASCADE,
    stage INTEGER NOT NULL,
    host TEXT NOT NULL,
    step TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('running', 'ok', 'failed', 'skipped')),
    start_time INTEGER NOT NULL,
    end_time INTEGER NOT NULL DEFAULT 0,
    exit_code INTEGER,
    output TEXT NOT NULL DEFAULT ''
  );
  CREATE INDEX deploy_steps_deploy ON deploy_steps(deploy_id, id);
  CREATE TABLE deploy_logs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    deploy_id TEXT NOT NULL REFERENCES deploys(id) ON DELETE CASCADE,
    time INTEGER NOT NULL,
    level TEXT NOT NULL,
    host TEXT,
    message TEXT NOT NULL
  );
  CREATE INDEX deploy_logs_deploy ON deploy_logs(deploy_id, id);
  CREATE TABLE known_hosts (
    host TEXT NOT NULL,
    port INTEGER NOT NULL,
    key_type TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    PRIMARY KEY (host, port)
  );
  CREATE TABLE scans (
    uuid TEXT PRIMARY KEY,
    request TEXT NOT NULL,
    state TEXT NOT NULL,
    total INTEGER NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    found INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    finished_at INTEGER
  );
  CREATE TABLE scan_hosts (
    scan_uuid TEXT NOT NULL REFERENCES scans(uuid) ON DELETE CASCADE,
    ip TEXT NOT NULL,
    result TEXT NOT NULL,
    PRIMARY KEY (scan_uuid, ip)
  );
  CREATE TABLE registries (
    uuid TEXT PRIMARY KEY,
    address TEXT NOT NULL,
    project TEXT NOT NULL DEFAULT '',
    user TEXT NOT NULL DEFAULT '',
    password_enc BLOB,
    ca_cert TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
  );
  `,
  // The cluster list shows each cluster's connection settings without its secrets. Opening and
  // parsing every sealed kubeconfig per list is too slow at 10,000 clusters, so the masked view is
  // kept beside it; whoever rewrites kubeconfig_enc makes it stale and the list derives it again.
  `
  ALTER TABLE clusters ADD COLUMN config_public TEXT;
  CREATE TRIGGER clusters_config_public_stale AFTER UPDATE OF kubeconfig_enc ON clusters
    WHEN NEW.kubeconfig_enc IS NOT OLD.kubeconfig_enc
    BEGIN UPDATE clusters SET config_public = NULL WHERE uuid = NEW.uuid; END;
  CREATE INDEX clusters_config_pending ON clusters(uuid)
    WHERE config_public IS NULL AND kubeconfig_enc IS NOT NULL;
  CREATE INDEX clusters_tenant_created ON clusters(tenant_uuid, created_at);
  `,
  // A cluster row is wide (its sealed kubeconfig, its masked settings): sorting and filtering a
  // tenant's history reads these narrow covering indexes instead of the rows, one per sort key.
  `
  DROP INDEX clusters_tenant_created;
  CREATE INDEX clusters_by_created ON clusters(tenant_uuid, created_at, name COLLATE NOCASE, uuid);
  CREATE INDEX clusters_by_name ON clusters(tenant_uuid, name COLLATE NOCASE, uuid);
  CREATE INDEX clusters_by_state ON clusters(tenant_uuid, state, name COLLATE NOCASE, uuid);
  CREATE INDEX clusters_by_version ON clusters(tenant_uuid, kube_version, name COLLATE NOCASE, uuid);
  CREATE INDEX clusters_search ON clusters(tenant_uuid, name, desc, api_server, state, source,
    kube_version, uuid);
  `,
  // What a failed deploy says, in Chinese beside the spec's English err_info and stage error, and
  // each failed step's own error in both. Rows written before have NULL here and read as English.
  `
  ALTER TABLE deploys ADD COLUMN err_info_cn TEXT;
  ALTER TABLE deploy_stages ADD COLUMN error_cn TEXT;
  ALTER TABLE deploy_steps ADD COLUMN error TEXT;
  ALTER TABLE deploy_steps ADD COLUMN error_cn TEXT;
  `,
  // Addresses a scan tried again because the kernel's neighbour table was full, and those it could
  // not probe at all (a JSON list): neither found nor absent.
  `
  ALTER TABLE scans ADD COLUMN retried INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE scans ADD COLUMN unprobed TEXT NOT NULL DEFAULT '[]';
  `,
  // The different key a host last showed, beside the recorded one, kept until the engineer accepts
  // it or the host shows its recorded key again: a restart does not forget what was seen. The
  // open deploys are looked for before each operation that reads or changes deploys.
  `
  CREATE TABLE changed_host_keys (
    host TEXT NOT NULL,
    port INTEGER NOT NULL,
    key_type TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    seen_at INTEGER NOT NULL,
    PRIMARY KEY (host, port),
    FOREIGN KEY (host, port) REFERENCES known_hosts(host, port) ON DELETE CASCADE
  );
  CREATE INDEX deploys_open ON deploys(id) WHERE is_over = 0;
  `,
  // The managed registry each deploy and node create pulled from (its record, or a cluster's
  // stored settings), so that a registry's clusters are counted from these narrow indexes, not by
  // parsing every record of the history. The expressions are main/registry/store.ts's usedBy().
  `
  CREATE INDEX deploys_by_registry ON deploys((CASE WHEN json_valid(request)
    AND ifnull(json_extract(request, '$.RegistryConfig.RegistryAddress'), '') = ''
    THEN nullif(json_extract(request, '$.use_managed_registry_project.registry_uuid'), '') END),
    cluster_uuid)
    WHERE (CASE WHEN json_valid(request)
    AND ifnull(json_extract(request, '$.RegistryConfig.RegistryAddress'), '') = ''
    THEN nullif(json_extract(request, '$.use_managed_registry_project.registry_uuid'), '') END)
    IS NOT NULL;
  CREATE INDEX clusters_by_registry ON clusters((CASE WHEN json_valid(settings)
    AND ifnull(json_extract(settings, '$.RegistryConfig.RegistryAddress'), '') = ''
    THEN nullif(json_extract(settings, '$.use_managed_registry_project.registry_uuid'), '') END),
    uuid)
    WHERE (CASE WHEN json_valid(settings)
    AND ifnull(json_extract(settings, '$.RegistryConfig.RegistryAddress'), '') = ''
    THEN nullif(json_extract(settings, '$.use_managed_registry_project.registry_uuid'), '') END)
    IS NOT NULL;
  `,
];
