#define G_LOG_DOMAIN "pas-resolver"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pas-error.h"
#include "pas-resolver.h"
#include "pas-ssh-config.h"
#include "pas-uri.h"

/* OpenSSH has no limit; a chain longer than this is a loop or a mistake. */
#define MAX_HOPS 8

struct _PasResolver
{
  GObject          parent_instance;

  char            *ssh_config;
  char           **identity_files;
  char           **default_identity_files;
  char            *known_hosts;
  char            *jump;
  PasSessionStore *sessions;
  char           **warnings;
};

G_DEFINE_FINAL_TYPE (PasResolver, pas_resolver, G_TYPE_OBJECT)

/* ---- addresses ------------------------------------------------------------ */

void
pas_address_free (PasAddress *address)
{
  if (address == NULL)
    return;
  g_free (address->user);
  g_free (address->name);
  g_free (address->path);
  g_free (address);
}

PasAddress *
pas_address_copy (const PasAddress *address)
{
  PasAddress *copy = g_new0 (PasAddress, 1);

  copy->user = g_strdup (address->user);
  copy->name = g_strdup (address->name);
  copy->port = address->port;
  copy->path = g_strdup (address->path);
  return copy;
}

static gboolean
invalid (GError    **error,
         const char *text)
{
  g_set_error (error, PAS_ERROR, PAS_ERROR_INVALID_ADDRESS,
               _("“%s” is not a server address: write user@host, user@host:port, sftp://user@host/folder "
                 "or the name of a host from ~/.ssh/config"), text);
  return FALSE;
}

/* A host name, alias or session name: something ssh would accept. */
static gboolean
name_is_usable (const char *name)
{
  if (name == NULL || name[0] == '\0' || name[0] == '-' || !g_utf8_validate (name, -1, NULL))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == '/' || *p == '\\' || *p == '\'' || *p == '"' || *p == '`')
      return FALSE;
  return TRUE;
}

static gboolean
parse_port (const char *text,
            guint16    *port)
{
  guint64 n;

  if (text[0] == '\0' || !g_ascii_string_to_unsigned (text, 10, 1, 65535, &n, NULL))
    return FALSE;
  *port = (guint16) n;
  return TRUE;
}

static PasAddress *
from_uri (const char *text,
          GError    **error)
{
  g_autofree char *sftp = NULL;
  g_autoptr(PasUri) uri = NULL;
  PasAddress *address;

  /* ssh:// (a jump host, `ssh -J ssh://…`) has no folder: read it as sftp:// */
  if (g_ascii_strncasecmp (text, "ssh://", 6) == 0)
    text = sftp = g_strconcat ("sftp://", text + 6, NULL);
  uri = pas_uri_parse (text, error);
  if (uri == NULL)
    return NULL;
  address = g_new0 (PasAddress, 1);
  address->user = g_strdup (uri->user);
  address->name = g_strdup (uri->host);
  address->port = uri->port;
  address->path = g_strdup (uri->path);
  return address;
}

PasAddress *
pas_address_parse (const char *text,
                   GError    **error)
{
  g_autofree char *trimmed = NULL;
  g_autoptr(PasAddress) address = NULL;
  const char *at, *hostport;

  g_return_val_if_fail (text != NULL, NULL);

  trimmed = g_strstrip (g_strdup (text));
  if (strstr (trimmed, "://") != NULL)
    return from_uri (trimmed, error);

  address = g_new0 (PasAddress, 1);
  at = strrchr (trimmed, '@');
  if (at != NULL)
    address->user = g_strndup (trimmed, at - trimmed);
  hostport = at != NULL ? at + 1 : trimmed;
  if (hostport[0] == '[')
    {
      /* [IPv6]:port, or [host]:port as known_hosts writes it */
      const char *close = strchr (hostport, ']');

      if (close == NULL || (close[1] != '\0' && (close[1] != ':' || !parse_port (close + 2, &address->port))))
        return invalid (error, trimmed), NULL;
      address->name = g_strndup (hostport + 1, close - hostport - 1);
    }
  else
    {
      const char *colon = strchr (hostport, ':');

      if (colon != NULL && strchr (colon + 1, ':') == NULL)
        {
          if (!parse_port (colon + 1, &address->port))
            return invalid (error, trimmed), NULL;
          address->name = g_strndup (hostport, colon - hostport);
        }
      else
        address->name = g_strdup (hostport);   /* a bare IPv6 address, or no port */
    }
  /* A space is allowed: a saved session's name may have one (a host name
   * may not, and resolving says so). */
  if (!name_is_usable (address->name) || (address->user != NULL && !name_is_usable (address->user)))
    return invalid (error, trimmed), NULL;
  return g_steal_pointer (&address);
}

PasAddress *
pas_address_parse_cli (const char *text,
                       GError    **error)
{
  g_autoptr(PasAddress) address = NULL;
  g_autofree char *left = NULL;
  const char *colon, *at;

  g_return_val_if_fail (text != NULL, NULL);

  if (strstr (text, "://") != NULL)
    return from_uri (text, error);

  colon = strchr (text, ':');
  if (colon == NULL || colon == text || text[0] == '-')
    goto refused;
  left = g_strndup (text, colon - text);
  if (strchr (left, '/') != NULL)
    goto refused;
  address = g_new0 (PasAddress, 1);
  at = strrchr (left, '@');
  address->user = at != NULL ? g_strndup (left, at - left) : NULL;
  address->name = g_strdup (at != NULL ? at + 1 : left);
  address->path = colon[1] != '\0' ? g_strdup (colon + 1) : NULL;
  if (!name_is_usable (address->name) || (address->user != NULL && !name_is_usable (address->user)))
    goto refused;
  return g_steal_pointer (&address);

refused:
  g_set_error (error, PAS_ERROR, PAS_ERROR_INVALID_ADDRESS,
               _("“%s” is not an address: write sftp://user@host/path or NAME:path"), text);
  return NULL;
}

/* ---- key paths ----------------------------------------------------------- */

char *
pas_resolver_expand_key_path (const char *path,
                              GError    **error)
{
  g_autofree char *expanded = NULL;

  if (path == NULL || path[0] == '\0')
    return NULL;
  if (path[0] == '~' && (path[1] == '/' || path[1] == '\0'))
    expanded = g_strconcat (g_get_home_dir (), path + 1, NULL);
  else if (g_str_has_prefix (path, "$HOME") && (path[5] == '/' || path[5] == '\0'))
    expanded = g_strconcat (g_get_home_dir (), path + 5, NULL);
  else if (g_str_has_prefix (path, "${HOME}") && (path[7] == '/' || path[7] == '\0'))
    expanded = g_strconcat (g_get_home_dir (), path + 7, NULL);
  else
    expanded = g_strdup (path);

  if (g_str_has_suffix (expanded, ".pub"))
    {
      g_autofree char *private = g_strndup (expanded, strlen (expanded) - 4);

      if (g_file_test (private, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&private);
      g_set_error (error, PAS_ERROR, PAS_ERROR_UNSUPPORTED_KEY,
                   _("%s is a public key; choose the private key file (the same name without .pub)"),
                   expanded);
      return NULL;
    }
  return g_steal_pointer (&expanded);
}

/* ---- resolving ----------------------------------------------------------- */

typedef struct
{
  PasResolver   *self;
  PasSshConfig  *config;     /* NULL: no ssh_config */
  GPtrArray     *sessions;   /* of PasSession (copies), for names */
  guint          hops;       /* made so far, against loops */
} Resolution;

static PasSession *
find_session (Resolution *r,
              const char *name)
{
  for (guint i = 0; r->sessions != NULL && i < r->sessions->len; i++)
    {
      PasSession *s = g_ptr_array_index (r->sessions, i);

      if (g_strcmp0 (pas_session_get_name (s), name) == 0 || g_strcmp0 (pas_session_get_id (s), name) == 0)
        return s;
    }
  return NULL;
}

static PasAuthMethods
methods_of (PasSession *session)
{
  switch (session != NULL ? pas_session_get_auth (session) : PAS_AUTH_AUTO)
    {
    case PAS_AUTH_PASSWORD:
      /* Servers often ask for a password through keyboard-interactive (PAM). */
      return PAS_AUTH_METHOD_PASSWORD | PAS_AUTH_METHOD_KEYBOARD_INTERACTIVE;
    case PAS_AUTH_KEY:
      return PAS_AUTH_METHOD_KEY_FILES;
    case PAS_AUTH_AGENT:
      return PAS_AUTH_METHOD_AGENT;
    case PAS_AUTH_KEYBOARD_INTERACTIVE:
      return PAS_AUTH_METHOD_KEYBOARD_INTERACTIVE;
    case PAS_AUTH_AUTO:
    default:
      return PAS_AUTH_METHOD_ALL;
    }
}

static const char *
nonempty (const char *text)
{
  return text != NULL && text[0] != '\0' ? text : NULL;
}

/* ProxyCommand's tokens, as OpenSSH expands them there. */
static char *
expand_proxy_command (const char *command,
                      const char *host,
                      guint16     port,
                      const char *user,
                      const char *alias)
{
  GString *out = g_string_new (NULL);

  for (const char *p = command; *p != '\0'; p++)
    {
      if (*p != '%' || p[1] == '\0')
        {
          g_string_append_c (out, *p);
          continue;
        }
      switch (*++p)
        {
        case 'h': g_string_append (out, host); break;
        case 'p': g_string_append_printf (out, "%u", port); break;
        case 'r': g_string_append (out, user); break;
        case 'n': g_string_append (out, alias); break;
        case '%': g_string_append_c (out, '%'); break;
        default: g_string_append_c (out, '%'); g_string_append_c (out, *p); break;
        }
    }
  return g_string_free (out, FALSE);
}

static PasDestination *resolve (Resolution        *r,
                                const PasAddress  *address,
                                PasSession        *session,
                                const char        *jump,
                                gboolean           final,
                                GError           **error);

/* "a,b" into destinations, first hop first; the first hop's own jump
 * hosts (its ProxyJump in ssh_config) come before it, as with ssh -J. */
static gboolean
resolve_jumps (Resolution *r,
               const char *list,
               GPtrArray  *out,
               GError    **error)
{
  g_auto(GStrv) hops = g_strsplit (list, ",", -1);

  for (guint i = 0; hops[i] != NULL; i++)
    {
      g_autofree char *text = g_strstrip (g_strdup (hops[i]));
      g_autoptr(PasAddress) address = NULL;
      g_autoptr(PasDestination) hop = NULL;
      g_autoptr(GError) local_error = NULL;

      if (++r->hops > MAX_HOPS)
        {
          g_set_error (error, PAS_ERROR, PAS_ERROR_INVALID_ADDRESS,
                       _("More than %u jump hosts: ProxyJump “%s” goes round in a loop?"), MAX_HOPS, list);
          return FALSE;
        }
      address = pas_address_parse (text, &local_error);
      if (address == NULL)
        {
          g_set_error (error, PAS_ERROR, PAS_ERROR_INVALID_ADDRESS,
                       _("The jump host “%s” is not an address: write [user@]host[:port], several separated by commas"),
                       text);
          return FALSE;
        }
      /* Only the first hop follows its own ProxyJump: the later ones are
       * reached through the hops before them. */
      hop = resolve (r, address, find_session (r, address->name), i == 0 ? NULL : "none", FALSE, error);
      if (hop == NULL)
        return FALSE;
      for (PasDestination **before = pas_destination_get_jumps (hop); *before != NULL; before++)
        g_ptr_array_add (out, pas_destination_ref (*before));
      {
        /* The hop itself, without its own chain (it now comes before it). */
        PasDestinationSpec spec = {
          .host = pas_destination_get_host (hop), .port = pas_destination_get_port (hop),
          .user = pas_destination_get_user (hop), .label = pas_destination_get_label (hop),
          .identity_files = pas_destination_get_identity_files (hop),
          .identities_only = pas_destination_get_identities_only (hop),
          .user_known_hosts = pas_destination_get_user_known_hosts (hop),
          .global_known_hosts = pas_destination_get_global_known_hosts (hop),
          .hash_known_hosts = pas_destination_get_hash_known_hosts (hop),
          .timeout = pas_destination_get_timeout (hop), .keepalive = pas_destination_get_keepalive (hop),
          .ciphers = pas_destination_get_ciphers (hop), .macs = pas_destination_get_macs (hop),
          .auth_methods = pas_destination_get_auth_methods (hop),
          .proxy_command = pas_destination_get_proxy_command (hop),
        };
        g_ptr_array_add (out, pas_destination_new (&spec));
      }
    }
  return TRUE;
}

/* @jump: the caller's ("none" included) or NULL for the session's, then
 * ssh_config's. @final: the server itself, to which the caller's key
 * options apply (as ssh's -i applies to the target, not to -J hops). */
static PasDestination *
resolve (Resolution       *r,
         const PasAddress *address,
         PasSession       *session,
         const char       *jump,
         gboolean          final,
         GError          **error)
{
  PasResolver *self = r->self;
  const char *alias = session != NULL && nonempty (pas_session_get_host (session)) ? pas_session_get_host (session)
                                                                                    : address->name;
  const char *user = address->user != NULL ? address->user
                     : session != NULL ? nonempty (pas_session_get_user (session)) : NULL;
  guint16 port = address->port != 0 ? address->port
                 : session != NULL ? (guint16) pas_session_get_port (session) : 0;
  g_autoptr(PasSshHost) host = NULL;
  g_autoptr(GPtrArray) jumps = g_ptr_array_new_null_terminated (0, (GDestroyNotify) pas_destination_unref, TRUE);
  g_autofree char *key = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *proxy_command = NULL;
  const char *key_file_list[2] = { NULL, NULL };
  const char * const *identities = NULL;
  gboolean identities_only = FALSE;
  const char *user_known_hosts = self->known_hosts;
  const char * const *global_known_hosts = NULL;
  PasDestinationSpec spec = { 0 };

  if (!name_is_usable (alias) || strchr (alias, ' ') != NULL)
    {
      invalid (error, alias != NULL ? alias : "");
      return NULL;
    }
  if (r->config != NULL)
    host = pas_ssh_config_resolve (r->config, alias, user, port);
  else
    {
      host = g_new0 (PasSshHost, 1);
      host->alias = g_strdup (alias);
      host->hostname = g_strdup (alias);
      host->user = g_strdup (user != NULL ? user : g_get_user_name ());
      host->port = port;
      host->identity_files = g_new0 (char *, 1);
    }

  /* Keys: the caller's, then the session's, then ssh_config's, then the
   * caller's defaults. */
  if (final && self->identity_files != NULL && self->identity_files[0] != NULL)
    {
      identities = (const char * const *) self->identity_files;
      identities_only = TRUE;
    }
  else if (session != NULL && nonempty (pas_session_get_key_file (session)) != NULL)
    {
      key = pas_resolver_expand_key_path (pas_session_get_key_file (session), error);
      if (key == NULL)
        return NULL;
      key_file_list[0] = key;
      identities = key_file_list;
      identities_only = TRUE;
    }
  else if (final && host->identity_files[0] == NULL && self->default_identity_files != NULL)
    {
      identities = (const char * const *) self->default_identity_files;
      identities_only = TRUE;
    }
  else
    {
      identities = (const char * const *) host->identity_files;
      identities_only = host->identities_only;
    }

  if (user_known_hosts == NULL && host->user_known_hosts_files != NULL)
    user_known_hosts = host->user_known_hosts_files[0] != NULL ? host->user_known_hosts_files[0] : "/dev/null";
  global_known_hosts = (const char * const *) host->global_known_hosts_files;

  /* Jump hosts: the caller's, the session's, ssh_config's (its ProxyJump or
   * ProxyCommand, whichever came first there). */
  if (jump == NULL && session != NULL)
    jump = nonempty (pas_session_get_jump (session));
  if (jump == NULL && host->proxy_jump != NULL)
    jump = host->proxy_jump;
  if (jump != NULL && g_ascii_strcasecmp (jump, "none") != 0)
    {
      if (!resolve_jumps (r, jump, jumps, error))
        return NULL;
    }
  else if (jump == NULL && host->proxy_command != NULL)
    proxy_command = expand_proxy_command (host->proxy_command, host->hostname,
                                          host->port != 0 ? host->port : 22, host->user, alias);

  /* A relative path starts in the session's folder. */
  if (session != NULL && nonempty (pas_session_get_remote_folder (session)) != NULL &&
      (address->path == NULL || address->path[0] != '/'))
    folder = address->path != NULL ? g_build_path ("/", pas_session_get_remote_folder (session), address->path, NULL)
                                   : g_strdup (pas_session_get_remote_folder (session));
  else
    folder = g_strdup (address->path);

  spec.host = host->hostname;
  spec.port = host->port;
  spec.user = host->user;
  spec.label = session != NULL && nonempty (pas_session_get_name (session)) ? pas_session_get_name (session) : alias;
  spec.identity_files = identities;
  spec.identities_only = identities_only;
  spec.user_known_hosts = user_known_hosts;
  spec.global_known_hosts = global_known_hosts;
  spec.hash_known_hosts = host->hash_known_hosts;
  spec.timeout = session != NULL && pas_session_get_connect_timeout (session) != 0
                 ? pas_session_get_connect_timeout (session) : host->connect_timeout;
  spec.keepalive = session != NULL && pas_session_get_keepalive (session) != 0
                   ? pas_session_get_keepalive (session) : host->server_alive_interval;
  spec.ciphers = host->ciphers;
  spec.macs = host->macs;
  spec.auth_methods = methods_of (session);
  spec.jumps = (PasDestination **) jumps->pdata;
  spec.proxy_command = proxy_command;
  spec.sftp_server = session != NULL ? pas_session_get_sftp_server (session) : NULL;
  spec.remote_folder = folder;
  spec.session_id = session != NULL ? pas_session_get_id (session) : NULL;
  return pas_destination_new (&spec);
}

static void
resolution_clear (Resolution *r)
{
  g_clear_pointer (&r->config, pas_ssh_config_free);
  g_clear_pointer (&r->sessions, g_ptr_array_unref);
}

static gboolean
resolution_init (Resolution  *r,
                 PasResolver *self,
                 GPtrArray   *sessions,
                 GError     **error)
{
  g_autoptr(GError) config_error = NULL;

  *r = (Resolution) { self, NULL, sessions != NULL ? g_ptr_array_ref (sessions) : NULL, 0 };
  if (g_strcmp0 (self->ssh_config, "none") == 0)
    return TRUE;
  r->config = pas_ssh_config_load (self->ssh_config, &config_error);
  if (r->config == NULL)
    {
      /* An unreadable ~/.ssh/config is not a reason not to connect… */
      if (self->ssh_config == NULL)
        {
          g_warning ("ignoring ~/.ssh/config: %s", config_error->message);
          return TRUE;
        }
      /* …but a file the user named with -F is. */
      g_propagate_error (error, g_steal_pointer (&config_error));
      return FALSE;
    }
  g_strfreev (self->warnings);
  self->warnings = g_strdupv ((char **) pas_ssh_config_get_warnings (r->config));
  return TRUE;
}

/* Copies of the saved sessions, so that a thread may read them. */
static GPtrArray *
copy_sessions (PasResolver *self)
{
  GPtrArray *copies = g_ptr_array_new_with_free_func (g_object_unref);

  if (self->sessions != NULL)
    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->sessions)); i++)
      {
        g_autoptr(PasSession) s = g_list_model_get_item (G_LIST_MODEL (self->sessions), i);
        g_ptr_array_add (copies, pas_session_copy (s));
      }
  return copies;
}

static PasDestination *
resolve_with (PasResolver      *self,
              GPtrArray        *sessions,
              const PasAddress *address,
              PasSession       *session,
              GError          **error)
{
  Resolution r;
  PasDestination *destination = NULL;
  PasAddress empty = { 0 };

  if (resolution_init (&r, self, sessions, error))
    {
      if (session == NULL && address != NULL)
        session = find_session (&r, address->name);
      destination = resolve (&r, address != NULL ? address : &empty, session, self->jump, TRUE, error);
    }
  resolution_clear (&r);
  return destination;
}

PasDestination *
pas_resolver_resolve (PasResolver      *self,
                      const PasAddress *address,
                      GError          **error)
{
  g_autoptr(GPtrArray) sessions = NULL;

  g_return_val_if_fail (PAS_IS_RESOLVER (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  sessions = copy_sessions (self);
  return resolve_with (self, sessions, address, NULL, error);
}

PasDestination *
pas_resolver_resolve_session (PasResolver *self,
                              PasSession  *session,
                              GError     **error)
{
  g_autoptr(GPtrArray) sessions = NULL;

  g_return_val_if_fail (PAS_IS_RESOLVER (self), NULL);
  g_return_val_if_fail (PAS_IS_SESSION (session), NULL);

  sessions = copy_sessions (self);
  return resolve_with (self, sessions, NULL, session, error);
}

typedef struct
{
  GPtrArray  *sessions;
  PasAddress *address;
  PasSession *session;
} ResolveData;

static void
resolve_data_free (ResolveData *data)
{
  g_ptr_array_unref (data->sessions);
  pas_address_free (data->address);
  g_clear_object (&data->session);
  g_free (data);
}

static void
resolve_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ResolveData *data = task_data;
  GError *error = NULL;
  PasDestination *destination = resolve_with (source, data->sessions, data->address, data->session, &error);

  if (destination == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, destination, (GDestroyNotify) pas_destination_unref);
}

static void
start (PasResolver        *self,
       const PasAddress   *address,
       PasSession         *session,
       gpointer            source_tag,
       GCancellable       *cancellable,
       GAsyncReadyCallback callback,
       gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  ResolveData *data = g_new0 (ResolveData, 1);

  g_task_set_source_tag (task, source_tag);
  data->sessions = copy_sessions (self);
  data->address = address != NULL ? pas_address_copy (address) : NULL;
  data->session = session != NULL ? pas_session_copy (session) : NULL;
  g_task_set_task_data (task, data, (GDestroyNotify) resolve_data_free);
  g_task_run_in_thread (task, resolve_thread);
}

void
pas_resolver_resolve_async (PasResolver        *self,
                            const PasAddress   *address,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  g_return_if_fail (PAS_IS_RESOLVER (self));
  g_return_if_fail (address != NULL);

  start (self, address, NULL, pas_resolver_resolve_async, cancellable, callback, user_data);
}

PasDestination *
pas_resolver_resolve_finish (PasResolver  *self,
                             GAsyncResult *result,
                             GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pas_resolver_resolve_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
pas_resolver_resolve_session_async (PasResolver        *self,
                                    PasSession         *session,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data)
{
  g_return_if_fail (PAS_IS_RESOLVER (self));
  g_return_if_fail (PAS_IS_SESSION (session));

  start (self, NULL, session, pas_resolver_resolve_session_async, cancellable, callback, user_data);
}

PasDestination *
pas_resolver_resolve_session_finish (PasResolver  *self,
                                     GAsyncResult *result,
                                     GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pas_resolver_resolve_session_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the object ---------------------------------------------------------- */

PasResolver *
pas_resolver_new (void)
{
  return g_object_new (PAS_TYPE_RESOLVER, NULL);
}

void
pas_resolver_set_ssh_config (PasResolver *self,
                             const char  *path)
{
  g_return_if_fail (PAS_IS_RESOLVER (self));
  g_free (self->ssh_config);
  self->ssh_config = g_strdup (path);
}

void
pas_resolver_set_identity_files (PasResolver        *self,
                                 const char * const *files)
{
  g_return_if_fail (PAS_IS_RESOLVER (self));
  g_strfreev (self->identity_files);
  self->identity_files = files != NULL && files[0] != NULL ? g_strdupv ((char **) files) : NULL;
}

void
pas_resolver_set_default_identity_files (PasResolver        *self,
                                         const char * const *files)
{
  g_return_if_fail (PAS_IS_RESOLVER (self));
  g_strfreev (self->default_identity_files);
  self->default_identity_files = files != NULL && files[0] != NULL ? g_strdupv ((char **) files) : NULL;
}

void
pas_resolver_set_known_hosts (PasResolver *self,
                              const char  *path)
{
  g_return_if_fail (PAS_IS_RESOLVER (self));
  g_free (self->known_hosts);
  self->known_hosts = g_strdup (path);
}

void
pas_resolver_set_jump (PasResolver *self,
                       const char  *jump)
{
  g_return_if_fail (PAS_IS_RESOLVER (self));
  g_free (self->jump);
  self->jump = g_strdup (jump);
}

void
pas_resolver_set_sessions (PasResolver     *self,
                           PasSessionStore *sessions)
{
  g_return_if_fail (PAS_IS_RESOLVER (self));
  g_set_object (&self->sessions, sessions);
}

char **
pas_resolver_get_config_warnings (PasResolver *self)
{
  g_return_val_if_fail (PAS_IS_RESOLVER (self), NULL);
  return g_strdupv (self->warnings != NULL ? self->warnings : (char *[]) { NULL });
}

static void
pas_resolver_finalize (GObject *object)
{
  PasResolver *self = PAS_RESOLVER (object);

  g_free (self->ssh_config);
  g_strfreev (self->identity_files);
  g_strfreev (self->default_identity_files);
  g_free (self->known_hosts);
  g_free (self->jump);
  g_clear_object (&self->sessions);
  g_strfreev (self->warnings);
  G_OBJECT_CLASS (pas_resolver_parent_class)->finalize (object);
}

static void
pas_resolver_class_init (PasResolverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pas_resolver_finalize;
}

static void
pas_resolver_init (PasResolver *self)
{
}
