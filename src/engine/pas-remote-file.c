#define G_LOG_DOMAIN "pas-remote-file"

#include "config.h"

#include <string.h>

#include "pas-names.h"
#include "pas-remote-file.h"

struct _PasRemoteFile
{
  GObject       parent_instance;

  char         *name;
  gboolean      name_safe;
  char         *display_name;
  char         *path;
  PasSftpAttrs  attrs;
  char         *owner;
  char         *group;
  char         *link_target;
};

G_DEFINE_FINAL_TYPE (PasRemoteFile, pas_remote_file, G_TYPE_OBJECT)

/* Longer than any local file system takes (NAME_MAX on Linux): such a name
 * can only fail later, or be a server testing how we cope with 64 KiB. */
#define LOCAL_NAME_MAX 255

static gboolean
name_is_safe (const PasSftpName *name)
{
  return name->filename_len > 0 &&
         name->filename_len <= LOCAL_NAME_MAX &&
         strlen (name->filename) == name->filename_len &&   /* no NUL inside */
         strchr (name->filename, '/') == NULL &&
         strcmp (name->filename, ".") != 0 &&
         strcmp (name->filename, "..") != 0;
}

/* OpenSSH's long name is "ls -l" output: "drwxr-xr-x    2 owner    group  …".
 * Only a line that starts with a mode string is trusted to hold the names. */
static void
parse_long_name (PasRemoteFile *self,
                 const char    *longname)
{
  const char *start[5];
  gsize length[5];
  const char *p;
  guint n = 0;

  if (longname == NULL || strlen (longname) < 10 || strchr ("-dlcbps", longname[0]) == NULL)
    return;
  for (int i = 1; i < 10; i++)
    if (strchr ("rwxsStT-", longname[i]) == NULL)
      return;

  /* The first five space-separated fields, by hand: this runs once per
   * entry of a listing (a regex here cost more than the whole decode). */
  for (p = longname; *p != '\0' && n < G_N_ELEMENTS (start); )
    {
      while (*p == ' ')
        p++;
      if (*p == '\0')
        break;
      start[n] = p;
      while (*p != ' ' && *p != '\0')
        p++;
      length[n] = (gsize) (p - start[n]);
      n++;
    }
  if (n < 5)
    return;
  self->owner = pas_name_escape_for_display (start[2], (gssize) length[2]);
  self->group = pas_name_escape_for_display (start[3], (gssize) length[3]);
}

PasRemoteFile *
pas_remote_file_new (const char        *folder,
                     const PasSftpName *name)
{
  PasRemoteFile *self = g_object_new (PAS_TYPE_REMOTE_FILE, NULL);

  self->name = g_strdup (name->filename);
  self->name_safe = name_is_safe (name);
  if (name->filename_len > LOCAL_NAME_MAX)
    {
      /* Shown in lists and messages: its start and its size are enough. */
      g_autofree char *start = pas_name_escape_for_display (name->filename, 64);
      self->display_name = g_strdup_printf ("%s… (%" G_GSIZE_FORMAT " bytes)", start, name->filename_len);
    }
  else
    self->display_name = pas_name_escape_for_display (name->filename, (gssize) name->filename_len);
  if (g_str_has_suffix (folder, "/"))
    self->path = g_strconcat (folder, name->filename, NULL);
  else
    self->path = g_strconcat (folder, "/", name->filename, NULL);
  self->attrs = name->attrs;
  parse_long_name (self, name->longname);
  return self;
}

const char *
pas_remote_file_get_name (PasRemoteFile *self)
{
  g_return_val_if_fail (PAS_IS_REMOTE_FILE (self), NULL);

  return self->name;
}

const char *
pas_remote_file_get_display_name (PasRemoteFile *self)
{
  g_return_val_if_fail (PAS_IS_REMOTE_FILE (self), NULL);

  return self->display_name;
}

gboolean
pas_remote_file_is_name_safe (PasRemoteFile *self)
{
  g_return_val_if_fail (PAS_IS_REMOTE_FILE (self), FALSE);

  return self->name_safe;
}

const char *
pas_remote_file_get_path (PasRemoteFile *self)
{
  g_return_val_if_fail (PAS_IS_REMOTE_FILE (self), NULL);

  return self->path;
}

GFileType
pas_remote_file_get_file_type (PasRemoteFile *self)
{
  if (!(self->attrs.flags & PAS_SFTP_ATTR_PERMISSIONS))
    return G_FILE_TYPE_UNKNOWN;
  switch (self->attrs.permissions & 0170000)
    {
    case 0100000:
      return G_FILE_TYPE_REGULAR;
    case 0040000:
      return G_FILE_TYPE_DIRECTORY;
    case 0120000:
      return G_FILE_TYPE_SYMBOLIC_LINK;
    case 0:
      return G_FILE_TYPE_UNKNOWN;
    default:
      return G_FILE_TYPE_SPECIAL;
    }
}

gboolean
pas_remote_file_has_size (PasRemoteFile *self)
{
  g_return_val_if_fail (PAS_IS_REMOTE_FILE (self), FALSE);

  return (self->attrs.flags & PAS_SFTP_ATTR_SIZE) != 0;
}

guint64
pas_remote_file_get_size (PasRemoteFile *self)
{
  g_return_val_if_fail (PAS_IS_REMOTE_FILE (self), 0);

  return self->attrs.size;
}

gboolean
pas_remote_file_has_mtime (PasRemoteFile *self)
{
  g_return_val_if_fail (PAS_IS_REMOTE_FILE (self), FALSE);

  return (self->attrs.flags & PAS_SFTP_ATTR_ACMODTIME) != 0;
}

gint64
pas_remote_file_get_mtime (PasRemoteFile *self)
{
  g_return_val_if_fail (PAS_IS_REMOTE_FILE (self), 0);

  return self->attrs.mtime;
}

gboolean
pas_remote_file_has_mode (PasRemoteFile *self)
{
  g_return_val_if_fail (PAS_IS_REMOTE_FILE (self), FALSE);

  return (self->attrs.flags & PAS_SFTP_ATTR_PERMISSIONS) != 0;
}

guint32
pas_remote_file_get_mode (PasRemoteFile *self)
{
  g_return_val_if_fail (PAS_IS_REMOTE_FILE (self), 0);

  return self->attrs.permissions;
}

guint32
pas_remote_file_get_local_mode (PasRemoteFile *self)
{
  g_return_val_if_fail (PAS_IS_REMOTE_FILE (self), 0);

  return self->attrs.permissions & 0777;
}

gboolean
pas_remote_file_has_owner (PasRemoteFile *self)
{
  g_return_val_if_fail (PAS_IS_REMOTE_FILE (self), FALSE);

  return (self->attrs.flags & PAS_SFTP_ATTR_UIDGID) != 0;
}

guint32
pas_remote_file_get_uid (PasRemoteFile *self)
{
  g_return_val_if_fail (PAS_IS_REMOTE_FILE (self), 0);

  return self->attrs.uid;
}

guint32
pas_remote_file_get_gid (PasRemoteFile *self)
{
  g_return_val_if_fail (PAS_IS_REMOTE_FILE (self), 0);

  return self->attrs.gid;
}

const char *
pas_remote_file_get_owner_name (PasRemoteFile *self)
{
  g_return_val_if_fail (PAS_IS_REMOTE_FILE (self), NULL);

  return self->owner;
}

const char *
pas_remote_file_get_group_name (PasRemoteFile *self)
{
  g_return_val_if_fail (PAS_IS_REMOTE_FILE (self), NULL);

  return self->group;
}

const char *
pas_remote_file_get_link_target (PasRemoteFile *self)
{
  g_return_val_if_fail (PAS_IS_REMOTE_FILE (self), NULL);

  return self->link_target;
}

void
pas_remote_file_set_link_target (PasRemoteFile *self,
                                 const char    *target)
{
  g_return_if_fail (PAS_IS_REMOTE_FILE (self));

  g_free (self->link_target);
  self->link_target = g_strdup (target);
}

static void
pas_remote_file_finalize (GObject *object)
{
  PasRemoteFile *self = PAS_REMOTE_FILE (object);

  g_free (self->name);
  g_free (self->display_name);
  g_free (self->path);
  g_free (self->owner);
  g_free (self->group);
  g_free (self->link_target);

  G_OBJECT_CLASS (pas_remote_file_parent_class)->finalize (object);
}

static void
pas_remote_file_class_init (PasRemoteFileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pas_remote_file_finalize;
}

static void
pas_remote_file_init (PasRemoteFile *self)
{
}
