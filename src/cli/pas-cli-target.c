#define G_LOG_DOMAIN "passerelle-cli"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "pas-cli.h"

/* Where an address leads: sftp://[user@]host[:port]/path, or
 * [user@]NAME:path with NAME a saved session or a host of ~/.ssh/config
 * (or any host name, as scp allows). The host then goes through ssh_config
 * as ssh would look it up; what the address says wins over the config. */

void
pas_cli_target_free (PasCliTarget *target)
{
  if (target == NULL)
    return;
  pas_uri_free (target->uri);
  g_strfreev (target->identities);
  g_free (target->sftp_server);
  g_free (target);
}

static PasSshConfig *
load_ssh_config (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  PasSshConfig *config;

  if (g_strcmp0 (cli->ssh_config, "none") == 0)
    return NULL;
  config = pas_ssh_config_load (cli->ssh_config, &error);
  if (config == NULL)
    g_printerr ("passerelle-cli: %s\n", error->message);
  return config;
}

/* "[user@]NAME:path" into its parts; FALSE when it is not that shape. */
static gboolean
split_short_form (const char  *arg,
                  char       **user,
                  char       **name,
                  char       **path)
{
  const char *colon = strchr (arg, ':');
  const char *at;
  g_autofree char *left = NULL;

  if (colon == NULL || colon == arg || arg[0] == '-')
    return FALSE;
  left = g_strndup (arg, colon - arg);
  if (strchr (left, '/') != NULL)
    return FALSE;
  at = strrchr (left, '@');
  *user = at != NULL ? g_strndup (left, at - left) : NULL;
  *name = g_strdup (at != NULL ? at + 1 : left);
  *path = colon[1] != '\0' ? g_strdup (colon + 1) : NULL;
  return **name != '\0' && (*user == NULL || **user != '\0');
}

PasCliTarget *
pas_cli_target_parse (Cli         *cli,
                      const char  *arg,
                      GError     **error)
{
  g_autoptr(PasSshConfig) config = NULL;
  g_autoptr(PasSshHost) host = NULL;
  g_autofree char *user = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  PasCliTarget *target;
  PasSession *session = NULL;
  g_autoptr(PasSessionStore) store = NULL;

  target = g_new0 (PasCliTarget, 1);
  if (strstr (arg, "://") != NULL)
    {
      target->uri = pas_uri_parse (arg, error);
      if (target->uri == NULL)
        {
          pas_cli_target_free (target);
          return NULL;
        }
    }
  else if (split_short_form (arg, &user, &name, &path))
    {
      target->uri = g_new0 (PasUri, 1);
      store = pas_session_store_new (NULL);
      if (pas_session_store_load (store, NULL))
        session = pas_session_store_find (store, name);
      if (session != NULL)
        {
          const char *folder = pas_session_get_remote_folder (session);

          target->uri->host = g_strdup (pas_session_get_host (session));
          target->uri->port = (guint16) pas_session_get_port (session);
          target->uri->user = g_strdup (user != NULL ? user : pas_session_get_user (session));
          if (pas_session_get_key_file (session) != NULL)
            {
              target->identities = g_new0 (char *, 2);
              target->identities[0] = g_strdup (pas_session_get_key_file (session));
              target->identities_only = TRUE;
            }
          target->sftp_server = g_strdup (pas_session_get_sftp_server (session));
          target->keepalive = pas_session_get_keepalive (session);
          target->timeout = pas_session_get_connect_timeout (session);
          /* A relative path starts in the session's remote folder. */
          if (folder != NULL && (path == NULL || path[0] != '/'))
            target->uri->path = path != NULL ? g_build_path ("/", folder, path, NULL) : g_strdup (folder);
          else
            target->uri->path = g_steal_pointer (&path);
        }
      else
        {
          target->uri->host = g_steal_pointer (&name);
          target->uri->user = g_steal_pointer (&user);
          target->uri->path = g_steal_pointer (&path);
        }
    }
  else
    {
      g_set_error (error, PAS_ERROR, PAS_ERROR_INVALID_ADDRESS,
                   _("“%s” is not an address: write sftp://user@host/path or NAME:path"), arg);
      pas_cli_target_free (target);
      return NULL;
    }

  config = load_ssh_config (cli);
  if (config != NULL)
    {
      host = pas_ssh_config_resolve (config, target->uri->host, target->uri->user, target->uri->port);
      g_free (target->uri->host);
      target->uri->host = g_strdup (host->hostname);
      if (target->uri->user == NULL)
        target->uri->user = g_strdup (host->user);
      if (target->uri->port == 0)
        target->uri->port = host->port;
      if (target->identities == NULL && host->identity_files[0] != NULL)
        {
          target->identities = g_strdupv (host->identity_files);
          target->identities_only = host->identities_only;
        }
      if (target->keepalive == 0)
        target->keepalive = host->server_alive_interval;
      if (target->timeout == 0)
        target->timeout = host->connect_timeout;
      if (host->proxy_jump != NULL)
        g_printerr (_("passerelle-cli: ProxyJump %s is not supported yet; connecting directly\n"), host->proxy_jump);
    }
  return target;
}

gboolean
pas_cli_target_same_server (const PasCliTarget *a,
                            const PasCliTarget *b)
{
  return g_strcmp0 (a->uri->host, b->uri->host) == 0 && g_strcmp0 (a->uri->user, b->uri->user) == 0 &&
         pas_uri_get_effective_port (a->uri) == pas_uri_get_effective_port (b->uri);
}
