#define G_LOG_DOMAIN "pas-session"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pas-error.h"
#include "pas-engine-enums.h"
#include "pas-session.h"

struct _PasSession
{
  GObject        parent_instance;

  char          *id;
  char          *name;
  char          *folder;
  char          *host;
  guint          port;
  char          *user;
  PasAuthMethod  auth;
  char          *key_file;
  char          *remote_folder;
  char          *local_folder;
  char          *sftp_server;
  char          *jump;
  guint          keepalive;
  guint          connect_timeout;
  char          *notes;
};

G_DEFINE_FINAL_TYPE (PasSession, pas_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_FOLDER,
  PROP_HOST,
  PROP_PORT,
  PROP_USER,
  PROP_AUTH,
  PROP_KEY_FILE,
  PROP_REMOTE_FOLDER,
  PROP_LOCAL_FOLDER,
  PROP_SFTP_SERVER,
  PROP_JUMP,
  PROP_KEEPALIVE,
  PROP_CONNECT_TIMEOUT,
  PROP_NOTES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One table drives the properties and the file: property, key, field. */
typedef struct
{
  guint        prop;
  const char  *key;
  gsize        offset;
  gboolean     is_uint;
  guint        max;
} Field;

#define STRING_FIELD(p, k, f) { p, k, G_STRUCT_OFFSET (PasSession, f), FALSE, 0 }
#define UINT_FIELD(p, k, f, m) { p, k, G_STRUCT_OFFSET (PasSession, f), TRUE, m }

static const Field fields[] = {
  STRING_FIELD (PROP_NAME, "Name", name),
  STRING_FIELD (PROP_FOLDER, "Folder", folder),
  STRING_FIELD (PROP_HOST, "Host", host),
  UINT_FIELD (PROP_PORT, "Port", port, 65535),
  STRING_FIELD (PROP_USER, "User", user),
  UINT_FIELD (PROP_AUTH, "Auth", auth, PAS_AUTH_KEYBOARD_INTERACTIVE),
  STRING_FIELD (PROP_KEY_FILE, "KeyFile", key_file),
  STRING_FIELD (PROP_REMOTE_FOLDER, "RemoteFolder", remote_folder),
  STRING_FIELD (PROP_LOCAL_FOLDER, "LocalFolder", local_folder),
  STRING_FIELD (PROP_SFTP_SERVER, "SftpServer", sftp_server),
  STRING_FIELD (PROP_JUMP, "ProxyJump", jump),
  UINT_FIELD (PROP_KEEPALIVE, "Keepalive", keepalive, 3600),
  UINT_FIELD (PROP_CONNECT_TIMEOUT, "ConnectTimeout", connect_timeout, 600),
  STRING_FIELD (PROP_NOTES, "Notes", notes),
};

static const char *auth_names[] = { "auto", "password", "key", "agent", "keyboard-interactive" };

/* g_set_str() arrived in GLib 2.76; Debian 12 has 2.74. */
static gboolean
set_str (char      **slot,
         const char *value)
{
  if (g_strcmp0 (*slot, value) == 0)
    return FALSE;
  g_free (*slot);
  *slot = g_strdup (value);
  return TRUE;
}

static const Field *
field_for (guint prop)
{
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (fields[i].prop == prop)
      return &fields[i];
  return NULL;
}

static char **
string_slot (PasSession  *self,
             const Field *f)
{
  return G_STRUCT_MEMBER_P (self, f->offset);
}

static guint *
uint_slot (PasSession  *self,
           const Field *f)
{
  return G_STRUCT_MEMBER_P (self, f->offset);
}

static void
pas_session_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PasSession *self = PAS_SESSION (object);
  const Field *f = field_for (prop_id);

  if (f == NULL)
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  else if (G_IS_PARAM_SPEC_ENUM (pspec))
    g_value_set_enum (value, (gint) *uint_slot (self, f));
  else if (f->is_uint)
    g_value_set_uint (value, *uint_slot (self, f));
  else
    g_value_set_string (value, *string_slot (self, f));
}

static void
pas_session_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  PasSession *self = PAS_SESSION (object);
  const Field *f = field_for (prop_id);

  if (f == NULL)
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  else if (f->is_uint)
    {
      guint number = G_IS_PARAM_SPEC_ENUM (pspec) ? (guint) g_value_get_enum (value) : g_value_get_uint (value);

      if (*uint_slot (self, f) != number)
        {
          *uint_slot (self, f) = number;
          g_object_notify_by_pspec (object, pspec);
        }
    }
  else if (!f->is_uint && set_str (string_slot (self, f), g_value_get_string (value)))
    g_object_notify_by_pspec (object, pspec);
}

static void
pas_session_finalize (GObject *object)
{
  PasSession *self = PAS_SESSION (object);

  g_free (self->id);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (!fields[i].is_uint)
      g_free (*string_slot (self, &fields[i]));

  G_OBJECT_CLASS (pas_session_parent_class)->finalize (object);
}

static void
pas_session_class_init (PasSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = pas_session_get_property;
  object_class->set_property = pas_session_set_property;
  object_class->finalize = pas_session_finalize;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_FOLDER] = g_param_spec_string ("folder", NULL, NULL, NULL, flags);
  properties[PROP_HOST] = g_param_spec_string ("host", NULL, NULL, NULL, flags);
  properties[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 0, 65535, 0, flags);
  properties[PROP_USER] = g_param_spec_string ("user", NULL, NULL, NULL, flags);
  properties[PROP_AUTH] = g_param_spec_enum ("auth", NULL, NULL, PAS_TYPE_AUTH_METHOD, PAS_AUTH_AUTO, flags);
  properties[PROP_KEY_FILE] = g_param_spec_string ("key-file", NULL, NULL, NULL, flags);
  properties[PROP_REMOTE_FOLDER] = g_param_spec_string ("remote-folder", NULL, NULL, NULL, flags);
  properties[PROP_LOCAL_FOLDER] = g_param_spec_string ("local-folder", NULL, NULL, NULL, flags);
  properties[PROP_SFTP_SERVER] = g_param_spec_string ("sftp-server", NULL, NULL, NULL, flags);
  properties[PROP_JUMP] = g_param_spec_string ("jump", NULL, NULL, NULL, flags);
  properties[PROP_KEEPALIVE] = g_param_spec_uint ("keepalive", NULL, NULL, 0, 3600, 0, flags);
  properties[PROP_CONNECT_TIMEOUT] = g_param_spec_uint ("connect-timeout", NULL, NULL, 0, 600, 0, flags);
  properties[PROP_NOTES] = g_param_spec_string ("notes", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pas_session_init (PasSession *self)
{
  self->id = g_uuid_string_random ();
}

PasSession *
pas_session_new (void)
{
  return g_object_new (PAS_TYPE_SESSION, NULL);
}

PasSession *
pas_session_copy (PasSession *self)
{
  PasSession *copy = pas_session_new ();

  g_return_val_if_fail (PAS_IS_SESSION (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (fields[i].is_uint)
      *uint_slot (copy, &fields[i]) = *uint_slot (self, &fields[i]);
    else
      *string_slot (copy, &fields[i]) = g_strdup (*string_slot (self, &fields[i]));
  return copy;
}

const char *
pas_session_get_id (PasSession *self)
{
  g_return_val_if_fail (PAS_IS_SESSION (self), NULL);

  return self->id;
}

const char *
pas_session_get_name (PasSession *self)
{
  g_return_val_if_fail (PAS_IS_SESSION (self), NULL);

  return self->name;
}

const char *
pas_session_get_folder (PasSession *self)
{
  g_return_val_if_fail (PAS_IS_SESSION (self), NULL);

  return self->folder;
}

const char *
pas_session_get_host (PasSession *self)
{
  g_return_val_if_fail (PAS_IS_SESSION (self), NULL);

  return self->host;
}

guint
pas_session_get_port (PasSession *self)
{
  g_return_val_if_fail (PAS_IS_SESSION (self), 0);

  return self->port;
}

const char *
pas_session_get_user (PasSession *self)
{
  g_return_val_if_fail (PAS_IS_SESSION (self), NULL);

  return self->user;
}

PasAuthMethod
pas_session_get_auth (PasSession *self)
{
  g_return_val_if_fail (PAS_IS_SESSION (self), PAS_AUTH_AUTO);

  return self->auth;
}

const char *
pas_session_get_key_file (PasSession *self)
{
  g_return_val_if_fail (PAS_IS_SESSION (self), NULL);

  return self->key_file;
}

const char *
pas_session_get_jump (PasSession *self)
{
  g_return_val_if_fail (PAS_IS_SESSION (self), NULL);

  return self->jump;
}

const char *
pas_session_get_remote_folder (PasSession *self)
{
  g_return_val_if_fail (PAS_IS_SESSION (self), NULL);

  return self->remote_folder;
}

const char *
pas_session_get_local_folder (PasSession *self)
{
  g_return_val_if_fail (PAS_IS_SESSION (self), NULL);

  return self->local_folder;
}

const char *
pas_session_get_sftp_server (PasSession *self)
{
  g_return_val_if_fail (PAS_IS_SESSION (self), NULL);

  return self->sftp_server;
}

guint
pas_session_get_keepalive (PasSession *self)
{
  g_return_val_if_fail (PAS_IS_SESSION (self), 0);

  return self->keepalive;
}

guint
pas_session_get_connect_timeout (PasSession *self)
{
  g_return_val_if_fail (PAS_IS_SESSION (self), 0);

  return self->connect_timeout;
}

const char *
pas_session_get_notes (PasSession *self)
{
  g_return_val_if_fail (PAS_IS_SESSION (self), NULL);

  return self->notes;
}

gboolean
pas_session_load (PasSession *self,
                  GKeyFile   *file,
                  const char *group,
                  GError    **error)
{
  g_return_val_if_fail (PAS_IS_SESSION (self), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const Field *f = &fields[i];
      g_autofree char *text = g_key_file_get_string (file, group, f->key, NULL);
      guint64 n;

      if (text == NULL)
        continue;
      if (f->prop == PROP_AUTH)
        {
          gboolean known = FALSE;

          for (guint a = 0; a < G_N_ELEMENTS (auth_names); a++)
            if (g_strcmp0 (text, auth_names[a]) == 0)
              {
                self->auth = a;
                known = TRUE;
              }
          if (!known)
            {
              g_set_error (error, PAS_ERROR, PAS_ERROR_FAILED, _("[%s] Auth: “%s” is not a login method"), group, text);
              return FALSE;
            }
        }
      else if (f->is_uint)
        {
          if (!g_ascii_string_to_unsigned (text, 10, 0, f->max, &n, NULL))
            {
              g_set_error (error, PAS_ERROR, PAS_ERROR_FAILED, _("[%s] %s: “%s” is not a number from 0 to %u"),
                           group, f->key, text, f->max);
              return FALSE;
            }
          *uint_slot (self, f) = (guint) n;
        }
      else
        set_str (string_slot (self, f), text);
    }
  if (self->host == NULL || *self->host == '\0')
    {
      g_set_error (error, PAS_ERROR, PAS_ERROR_FAILED, _("[%s] has no Host"), group);
      return FALSE;
    }
  set_str (&self->id, group);
  return TRUE;
}

void
pas_session_save (PasSession *self,
                  GKeyFile   *file,
                  const char *group)
{
  g_return_if_fail (PAS_IS_SESSION (self));

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const Field *f = &fields[i];

      if (f->prop == PROP_AUTH)
        g_key_file_set_string (file, group, f->key, auth_names[self->auth]);
      else if (f->is_uint && *uint_slot (self, f) != 0)
        g_key_file_set_uint64 (file, group, f->key, *uint_slot (self, f));
      else if (!f->is_uint && *string_slot (self, f) != NULL)
        g_key_file_set_string (file, group, f->key, *string_slot (self, f));
    }
}
