#define G_LOG_DOMAIN "pas-destination"

#include "config.h"

#include "pas-destination.h"

struct _PasDestination
{
  gatomicrefcount   ref;
  char             *host;
  guint16           port;
  char             *user;
  char             *label;
  char            **identity_files;
  gboolean          identities_only;
  char             *user_known_hosts;
  char            **global_known_hosts;
  gboolean          hash_known_hosts;
  guint             timeout;
  guint             keepalive;
  char             *ciphers;
  char             *macs;
  PasAuthMethods    auth_methods;
  PasDestination  **jumps;
  char             *proxy_command;
  char             *sftp_server;
  char             *remote_folder;
  char             *session_id;
  char             *key;
};

G_DEFINE_BOXED_TYPE (PasDestination, pas_destination, pas_destination_ref, pas_destination_unref)

static char *
nonempty (const char *text)
{
  return text != NULL && text[0] != '\0' ? g_strdup (text) : NULL;
}

static char *
endpoint (PasDestination *self)
{
  return g_strdup_printf (strchr (self->host, ':') != NULL ? "%s@[%s]:%u" : "%s@%s:%u",
                          self->user, self->host, self->port);
}

PasDestination *
pas_destination_new (const PasDestinationSpec *spec)
{
  PasDestination *self;
  GString *key;
  guint n = 0;

  g_return_val_if_fail (spec != NULL && spec->host != NULL && spec->host[0] != '\0', NULL);

  self = g_new0 (PasDestination, 1);
  g_atomic_ref_count_init (&self->ref);
  self->host = g_strdup (spec->host);
  self->port = spec->port != 0 ? spec->port : 22;
  self->user = g_strdup (spec->user != NULL && spec->user[0] != '\0' ? spec->user : g_get_user_name ());
  self->label = g_strdup (spec->label != NULL && spec->label[0] != '\0' ? spec->label : spec->host);
  self->identity_files = g_strdupv ((char **) (spec->identity_files != NULL ? spec->identity_files
                                                                            : (const char * const[]) { NULL }));
  self->identities_only = spec->identities_only;
  self->user_known_hosts = nonempty (spec->user_known_hosts);
  self->global_known_hosts = g_strdupv ((char **) spec->global_known_hosts);
  self->hash_known_hosts = spec->hash_known_hosts;
  self->timeout = spec->timeout;
  self->keepalive = spec->keepalive;
  self->ciphers = nonempty (spec->ciphers);
  self->macs = nonempty (spec->macs);
  self->auth_methods = spec->auth_methods != 0 ? spec->auth_methods : PAS_AUTH_METHOD_ALL;
  for (; spec->jumps != NULL && spec->jumps[n] != NULL; n++)
    ;
  self->jumps = g_new0 (PasDestination *, n + 1);
  for (guint i = 0; i < n; i++)
    self->jumps[i] = pas_destination_ref (spec->jumps[i]);
  self->proxy_command = nonempty (spec->proxy_command);
  self->sftp_server = nonempty (spec->sftp_server);
  self->remote_folder = nonempty (spec->remote_folder);
  self->session_id = nonempty (spec->session_id);

  key = g_string_new (NULL);
  {
    g_autofree char *own = endpoint (self);
    g_string_append (key, own);
  }
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *hop = endpoint (self->jumps[i]);
      g_string_append_printf (key, "%s%s", i == 0 ? " via " : ",", hop);
    }
  if (self->proxy_command != NULL)
    g_string_append_printf (key, " via `%s`", self->proxy_command);
  self->key = g_string_free (key, FALSE);
  return self;
}

PasDestination *
pas_destination_ref (PasDestination *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref);
  return self;
}

void
pas_destination_unref (PasDestination *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref))
    return;
  g_free (self->host);
  g_free (self->user);
  g_free (self->label);
  g_strfreev (self->identity_files);
  g_free (self->user_known_hosts);
  g_strfreev (self->global_known_hosts);
  g_free (self->ciphers);
  g_free (self->macs);
  for (guint i = 0; self->jumps[i] != NULL; i++)
    pas_destination_unref (self->jumps[i]);
  g_free (self->jumps);
  g_free (self->proxy_command);
  g_free (self->sftp_server);
  g_free (self->remote_folder);
  g_free (self->session_id);
  g_free (self->key);
  g_free (self);
}

const char *
pas_destination_get_host (PasDestination *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->host;
}

guint16
pas_destination_get_port (PasDestination *self)
{
  g_return_val_if_fail (self != NULL, 22);
  return self->port;
}

const char *
pas_destination_get_user (PasDestination *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->user;
}

const char *
pas_destination_get_label (PasDestination *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->label;
}

const char * const *
pas_destination_get_identity_files (PasDestination *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (const char * const *) self->identity_files;
}

gboolean
pas_destination_get_identities_only (PasDestination *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->identities_only;
}

const char *
pas_destination_get_user_known_hosts (PasDestination *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->user_known_hosts;
}

const char * const *
pas_destination_get_global_known_hosts (PasDestination *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (const char * const *) self->global_known_hosts;
}

gboolean
pas_destination_get_hash_known_hosts (PasDestination *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->hash_known_hosts;
}

guint
pas_destination_get_timeout (PasDestination *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->timeout;
}

guint
pas_destination_get_keepalive (PasDestination *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->keepalive;
}

const char *
pas_destination_get_ciphers (PasDestination *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->ciphers;
}

const char *
pas_destination_get_macs (PasDestination *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->macs;
}

PasAuthMethods
pas_destination_get_auth_methods (PasDestination *self)
{
  g_return_val_if_fail (self != NULL, PAS_AUTH_METHOD_ALL);
  return self->auth_methods;
}

PasDestination **
pas_destination_get_jumps (PasDestination *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->jumps;
}

const char *
pas_destination_get_proxy_command (PasDestination *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->proxy_command;
}

const char *
pas_destination_get_sftp_server (PasDestination *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->sftp_server;
}

const char *
pas_destination_get_remote_folder (PasDestination *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->remote_folder;
}

const char *
pas_destination_get_session_id (PasDestination *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->session_id;
}

const char *
pas_destination_get_key (PasDestination *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->key;
}

char *
pas_destination_describe (PasDestination *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_new (NULL);
  g_string_append_printf (out, "%s@%s", self->user, self->host);
  if (self->port != 22)
    g_string_append_printf (out, ":%u", self->port);
  for (guint i = 0; self->jumps[i] != NULL; i++)
    g_string_append_printf (out, "%s%s", i == 0 ? " via " : ", ", self->jumps[i]->label);
  return g_string_free (out, FALSE);
}

static gboolean
strv_equal (char **a,
            char **b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_strv_equal ((const char * const *) a, (const char * const *) b);
}

gboolean
pas_destination_equal (PasDestination *a,
                       PasDestination *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (a == b)
    return TRUE;
  if (g_strcmp0 (a->key, b->key) != 0 || !strv_equal (a->identity_files, b->identity_files) ||
      a->identities_only != b->identities_only || g_strcmp0 (a->user_known_hosts, b->user_known_hosts) != 0 ||
      !strv_equal (a->global_known_hosts, b->global_known_hosts) || a->hash_known_hosts != b->hash_known_hosts ||
      a->timeout != b->timeout || a->keepalive != b->keepalive || g_strcmp0 (a->ciphers, b->ciphers) != 0 ||
      g_strcmp0 (a->macs, b->macs) != 0 || a->auth_methods != b->auth_methods ||
      g_strcmp0 (a->sftp_server, b->sftp_server) != 0)
    return FALSE;
  for (guint i = 0; a->jumps[i] != NULL; i++)
    if (!pas_destination_equal (a->jumps[i], b->jumps[i]))
      return FALSE;
  return TRUE;
}
