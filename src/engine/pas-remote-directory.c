#define G_LOG_DOMAIN "pas-remote-directory"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pas-error.h"
#include "pas-remote-directory.h"
#include "pas-remote-file.h"
#include "pas-sftp-list.h"

struct _PasRemoteDirectory
{
  GObject          parent_instance;

  PasSftpSession  *session;
  char            *path;
  GPtrArray       *items;       /* of GFileInfo */
  GCancellable    *cancellable;
  GCancellable    *listing;      /* the server's stream alone: stopped at the limit */
  GError          *error;
  guint            n_unsafe;
  guint            n_announced;  /* items the model has told about */
  guint            flush_id;
  GQueue           to_build;     /* of GPtrArray of PasSftpName copies */
  guint            n_to_build;   /* names in to_build or being built */
  guint            listed : 1;     /* the server said all */
  guint            loading : 1;
  guint            building : 1;   /* a batch's GFileInfos are made in a thread */
};

enum {
  PROP_0,
  PROP_LOADING,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A window shows at most this many entries of one folder: about 840 bytes
 * each as measured (test-hostile's endless-listing-model), so some 200 MiB.
 * Transfers, which keep far less per entry, go on to the session's limit. */
#define MAX_ENTRIES 250000

static GType
list_model_get_item_type (GListModel *model)
{
  return G_TYPE_FILE_INFO;
}

static guint
list_model_get_n_items (GListModel *model)
{
  return PAS_REMOTE_DIRECTORY (model)->n_announced;
}

static gpointer
list_model_get_item (GListModel *model,
                     guint       position)
{
  PasRemoteDirectory *self = PAS_REMOTE_DIRECTORY (model);

  if (position >= self->n_announced)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_model_get_item_type;
  iface->get_n_items = list_model_get_n_items;
  iface->get_item = list_model_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (PasRemoteDirectory, pas_remote_directory, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

/* What a name says about a file, shared by every entry it fits: the GIcons
 * too, which would otherwise be two objects per entry. */
typedef struct
{
  char  *content_type;
  GIcon *icon;
  GIcon *symbolic;
} Kind;

static void
kind_free (Kind *kind)
{
  g_free (kind->content_type);
  g_clear_object (&kind->icon);
  g_clear_object (&kind->symbolic);
  g_free (kind);
}

static Kind *
kind_new (const char *content_type)
{
  Kind *kind = g_new0 (Kind, 1);

  kind->content_type = g_strdup (content_type);
  if (content_type != NULL)
    {
      kind->icon = g_content_type_get_icon (content_type);
      kind->symbolic = g_content_type_get_symbolic_icon (content_type);
    }
  else
    {
      kind->icon = g_themed_icon_new ("folder");
      kind->symbolic = g_themed_icon_new ("folder-symbolic");
    }
  return kind;
}

/* Kinds by extension, or by whole name for names without one (Makefile,
 * README). Bounded: a folder of 50,000 extensionless names (a mail spool,
 * a server's endless listing) must not grow it for the life of the app. */
#define MAX_KEYS 2048

/* Infos are made in threads (several folders at once) and a link's again
 * in the main thread. */
G_LOCK_DEFINE_STATIC (kinds);

static void
set_icons_locked (GFileInfo  *info,
                  GFileType   type,
                  const char *name)
{
  static Kind *folder;
  static GHashTable *kinds;    /* content type -> Kind (owned) */
  static GHashTable *by_key;   /* extension or name -> Kind (in kinds) */
  g_autofree char *guessed = NULL;
  const char *dot;
  const char *key;
  Kind *kind;

  if (type == G_FILE_TYPE_DIRECTORY)
    {
      if (folder == NULL)
        folder = kind_new (NULL);
      g_file_info_set_icon (info, folder->icon);
      g_file_info_set_symbolic_icon (info, folder->symbolic);
      return;
    }

  /* Guessed from the name only (reading the content would cost a round trip
   * per file), once per key: a folder of 50,000 photos asks the MIME
   * database once, not 50,000 times. */
  if (kinds == NULL)
    {
      kinds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) kind_free);
      by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    }
  dot = strrchr (name, '.');
  key = dot != NULL && dot != name ? dot : name;
  kind = g_hash_table_lookup (by_key, key);
  if (kind == NULL)
    {
      guessed = g_content_type_guess (name, NULL, 0, NULL);
      kind = g_hash_table_lookup (kinds, guessed);
      if (kind == NULL)
        {
          kind = kind_new (guessed);
          g_hash_table_insert (kinds, g_strdup (guessed), kind);
        }
      /* Past the bound, names are guessed each time; kinds stay shared. */
      if (g_hash_table_size (by_key) < MAX_KEYS)
        g_hash_table_insert (by_key, g_strdup (key), kind);
    }
  g_file_info_set_content_type (info, kind->content_type);
  g_file_info_set_icon (info, kind->icon);
  g_file_info_set_symbolic_icon (info, kind->symbolic);
}

static void
set_icons (GFileInfo  *info,
           GFileType   type,
           const char *name)
{
  G_LOCK (kinds);
  set_icons_locked (info, type, name);
  G_UNLOCK (kinds);
}

/**
 * pas_remote_file_info_new:
 *
 * Returns: (transfer full): @file described with GIO's attribute names
 */
GFileInfo *
pas_remote_file_info_new (PasRemoteFile *file)
{
  GFileInfo *info = g_file_info_new ();
  const char *name = pas_remote_file_get_name (file);
  GFileType type = pas_remote_file_get_file_type (file);

  g_file_info_set_name (info, name);
  g_file_info_set_display_name (info, pas_remote_file_get_display_name (file));
  g_file_info_set_edit_name (info, pas_remote_file_get_display_name (file));
  g_file_info_set_file_type (info, type);
  g_file_info_set_is_hidden (info, name[0] == '.');
  g_file_info_set_is_symlink (info, type == G_FILE_TYPE_SYMBOLIC_LINK);
  g_file_info_set_attribute_string (info, PAS_FILE_ATTRIBUTE_PATH, pas_remote_file_get_path (file));
  if (pas_remote_file_has_size (file))
    g_file_info_set_size (info, (goffset) MIN (pas_remote_file_get_size (file), (guint64) G_MAXINT64));
  if (pas_remote_file_has_mtime (file))
    g_file_info_set_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED,
                                      (guint64) MAX (pas_remote_file_get_mtime (file), 0));
  if (pas_remote_file_has_mode (file))
    g_file_info_set_attribute_uint32 (info, G_FILE_ATTRIBUTE_UNIX_MODE, pas_remote_file_get_mode (file));
  if (pas_remote_file_get_owner_name (file) != NULL)
    g_file_info_set_attribute_string (info, G_FILE_ATTRIBUTE_OWNER_USER, pas_remote_file_get_owner_name (file));
  if (pas_remote_file_get_group_name (file) != NULL)
    g_file_info_set_attribute_string (info, G_FILE_ATTRIBUTE_OWNER_GROUP, pas_remote_file_get_group_name (file));
  set_icons (info, type, name);
  return info;
}

typedef struct
{
  PasRemoteDirectory *self;   /* owned */
  GFileInfo          *info;   /* owned */
} LinkTarget;

static void
link_stat_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LinkTarget *link = user_data;
  PasRemoteDirectory *self = link->self;
  PasSftpAttrs attrs = { 0 };
  guint position;

  /* A dangling link stays a link: opening it then reports why. */
  if (pas_sftp_session_stat_finish (PAS_SFTP_SESSION (source), result, &attrs, NULL) &&
      (attrs.flags & PAS_SFTP_ATTR_PERMISSIONS) != 0 &&
      g_ptr_array_find (self->items, link->info, &position) && position < self->n_announced)
    {
      GFileType type = (attrs.permissions & 0170000) == 0040000 ? G_FILE_TYPE_DIRECTORY
                                                                 : G_FILE_TYPE_REGULAR;

      g_file_info_set_file_type (link->info, type);
      set_icons (link->info, type, g_file_info_get_name (link->info));
      if (type == G_FILE_TYPE_REGULAR && (attrs.flags & PAS_SFTP_ATTR_SIZE) != 0)
        g_file_info_set_size (link->info, (goffset) MIN (attrs.size, (guint64) G_MAXINT64));
      g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
    }
  g_object_unref (link->info);
  g_object_unref (link->self);
  g_free (link);
}

/* The first batch is announced at once, later ones together every 100 ms,
 * at most ANNOUNCE_MAX entries per main-loop iteration (the rest in the
 * next): a 50,000-entry folder arrives in ~500 batches, and what the views
 * do with an announcement grows with its size (~5 µs an entry). */
#define FLUSH_MS 100
#define ANNOUNCE_MAX 2000

static gboolean flush_cb (gpointer user_data);

static void
arm (PasRemoteDirectory *self,
     guint               delay_ms)
{
  if (self->flush_id != 0)
    return;
  /* The source holds the model: it may lose its last other reference in
   * another thread. */
  if (delay_ms == 0)
    self->flush_id = g_idle_add_full (G_PRIORITY_DEFAULT, flush_cb, g_object_ref (self), g_object_unref);
  else
    self->flush_id = g_timeout_add_full (G_PRIORITY_DEFAULT, delay_ms, flush_cb, g_object_ref (self), g_object_unref);
}

static void
announce (PasRemoteDirectory *self)
{
  guint before = self->n_announced;
  guint n = self->items->len - before;

  if (n == 0)
    return;
  if (n > ANNOUNCE_MAX)
    {
      n = ANNOUNCE_MAX;
      arm (self, 0);
    }
  self->n_announced = before + n;
  g_list_model_items_changed (G_LIST_MODEL (self), before, 0, n);
}

static gboolean
flush_cb (gpointer user_data)
{
  PasRemoteDirectory *self = user_data;

  self->flush_id = 0;
  announce (self);
  /* Loading ends when the views have everything. */
  if (self->listed && self->flush_id == 0 && !self->building && self->loading)
    {
      self->loading = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }
  return G_SOURCE_REMOVE;
}

static void
name_free (gpointer data)
{
  PasSftpName *name = data;

  g_free (name->filename);
  g_free (name->longname);
  g_free (name);
}

/* What a thread made of one batch. */
typedef struct
{
  char      *folder;
  GPtrArray *names;      /* of PasSftpName */
  GPtrArray *infos;      /* of GFileInfo */
  GPtrArray *links;      /* of GFileInfo, in @infos: links to stat */
  guint      n_unsafe;
} Build;

static void
build_free (Build *build)
{
  g_free (build->folder);
  g_ptr_array_unref (build->names);
  g_ptr_array_unref (build->infos);
  g_ptr_array_unref (build->links);
  g_free (build);
}

/* Making 2,000 GFileInfos took 50–170 ms with GLib 2.84 (an attribute
 * array grown one by one): a thread's work, not the window's. */
static void
build_thread (GTask        *task,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  Build *build = data;

  for (guint i = 0; i < build->names->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      g_autoptr(PasRemoteFile) file = pas_remote_file_new (build->folder, g_ptr_array_index (build->names, i));
      GFileInfo *info;

      if (!pas_remote_file_is_name_safe (file))
        {
          /* Not a warning: the server chose it, and G_DEBUG=fatal-warnings
           * must not let a server stop the app. */
          g_debug ("left out an entry of %s with an unsafe name: %s",
                   build->folder, pas_remote_file_get_display_name (file));
          build->n_unsafe++;
          continue;
        }
      info = pas_remote_file_info_new (file);
      g_ptr_array_add (build->infos, info);
      if (pas_remote_file_get_file_type (file) == G_FILE_TYPE_SYMBOLIC_LINK)
        g_ptr_array_add (build->links, g_object_ref (info));
    }
  g_task_return_boolean (task, TRUE);
}

static void build_next (PasRemoteDirectory *self);
static void add_built  (PasRemoteDirectory *self,
                        Build              *build);

static void
built_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  PasRemoteDirectory *self = PAS_REMOTE_DIRECTORY (object);
  Build *build = g_task_get_task_data (G_TASK (result));

  self->building = FALSE;
  self->n_to_build -= build->names->len;
  if (g_task_propagate_boolean (G_TASK (result), NULL))
    add_built (self, build);
  else
    g_queue_clear_full (&self->to_build, (GDestroyNotify) g_ptr_array_unref);
  build_next (self);
  if (self->listed && !self->building)
    {
      /* The server said all before this batch was made: all of it now. */
      g_clear_handle_id (&self->flush_id, g_source_remove);
      flush_cb (self);
    }
}

static void
add_built (PasRemoteDirectory *self,
           Build              *build)
{
  self->n_unsafe += build->n_unsafe;
  for (guint i = 0; i < build->infos->len; i++)
    g_ptr_array_add (self->items, g_object_ref (g_ptr_array_index (build->infos, i)));
  /* Links show what they point to (folders open), marked as links. */
  for (guint i = 0; i < build->links->len && !g_cancellable_is_cancelled (self->cancellable); i++)
    {
      LinkTarget *link = g_new0 (LinkTarget, 1);
      const char *path;

      link->self = g_object_ref (self);
      link->info = g_object_ref (g_ptr_array_index (build->links, i));
      path = g_file_info_get_attribute_string (link->info, PAS_FILE_ATTRIBUTE_PATH);
      pas_sftp_session_stat_async (self->session, path, TRUE, self->cancellable, link_stat_cb, link);
    }
  if (self->n_announced == 0)
    announce (self);
  else
    arm (self, FLUSH_MS);
}

static void
build_next (PasRemoteDirectory *self)
{
  g_autoptr(GTask) task = NULL;
  Build *build;

  if (self->building || g_queue_is_empty (&self->to_build))
    return;
  build = g_new0 (Build, 1);
  build->folder = g_strdup (self->path);
  /* Everything that arrived meanwhile, in one go. */
  build->names = g_queue_pop_head (&self->to_build);
  while (!g_queue_is_empty (&self->to_build))
    {
      g_autoptr(GPtrArray) more = g_queue_pop_head (&self->to_build);

      g_ptr_array_extend_and_steal (build->names, g_steal_pointer (&more));
    }
  build->infos = g_ptr_array_new_with_free_func (g_object_unref);
  build->links = g_ptr_array_new_with_free_func (g_object_unref);
  self->building = TRUE;
  task = g_task_new (self, self->cancellable, built_cb, NULL);
  g_task_set_source_tag (task, build_next);
  g_task_set_task_data (task, build, (GDestroyNotify) build_free);
  g_task_run_in_thread (task, build_thread);
}

static void
batch_cb (GPtrArray *names,
          gpointer   user_data)
{
  PasRemoteDirectory *self = user_data;
  guint room = MAX_ENTRIES - MIN (MAX_ENTRIES, self->items->len + self->n_to_build);
  GPtrArray *copy;

  if (self->error != NULL)
    return;
  if (names->len > room)
    {
      /* The same words as the session's own limit: the entries so far stay. */
      self->error = g_error_new (PAS_ERROR, PAS_ERROR_PROTOCOL,
                                 _("The server listed more than %u entries in “%s”; the listing was stopped there"),
                                 MAX_ENTRIES, self->path);
      g_cancellable_cancel (self->listing);
    }
  if (room == 0)
    return;
  /* The session frees its names after this call. */
  copy = g_ptr_array_new_full (MIN (names->len, room), name_free);
  for (guint i = 0; i < MIN (names->len, room); i++)
    {
      const PasSftpName *name = g_ptr_array_index (names, i);
      PasSftpName *kept = g_new (PasSftpName, 1);

      *kept = *name;
      /* Every byte the server sent, past a NUL too: names are checked
       * and shown with their real length. */
      kept->filename = g_memdup2 (name->filename, name->filename_len + 1);
      kept->longname = g_strdup (name->longname);
      g_ptr_array_add (copy, kept);
    }
  self->n_to_build += copy->len;
  g_queue_push_tail (&self->to_build, copy);
  build_next (self);
}

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(PasRemoteDirectory) self = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&self->flush_id, g_source_remove);
  self->listed = TRUE;
  if (!pas_sftp_session_list_finish (PAS_SFTP_SESSION (source), result, &error) && self->error != NULL)
    g_debug ("listing %s stopped: %s", self->path, self->error->message);
  else if (error != NULL)
    {
      g_debug ("listing %s failed: %s", self->path, error->message);
      self->error = g_steal_pointer (&error);
    }
  if (self->error != NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
  flush_cb (self);
}

/**
 * pas_remote_directory_new:
 *
 * Starts listing @path on @session; the model fills as the server answers.
 */
PasRemoteDirectory *
pas_remote_directory_new (PasSftpSession *session,
                          const char     *path)
{
  PasRemoteDirectory *self;

  g_return_val_if_fail (PAS_IS_SFTP_SESSION (session), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (PAS_TYPE_REMOTE_DIRECTORY, NULL);
  self->session = g_object_ref (session);
  self->path = g_strdup (path);
  self->loading = TRUE;
  pas_sftp_session_list_async (session, path, batch_cb, self, self->listing,
                               list_cb, g_object_ref (self));
  return self;
}

const char *
pas_remote_directory_get_path (PasRemoteDirectory *self)
{
  g_return_val_if_fail (PAS_IS_REMOTE_DIRECTORY (self), NULL);

  return self->path;
}

gboolean
pas_remote_directory_is_loading (PasRemoteDirectory *self)
{
  g_return_val_if_fail (PAS_IS_REMOTE_DIRECTORY (self), FALSE);

  return self->loading;
}

/**
 * pas_remote_directory_get_error:
 *
 * Returns: (nullable): why the listing failed; items received before stay
 */
const GError *
pas_remote_directory_get_error (PasRemoteDirectory *self)
{
  g_return_val_if_fail (PAS_IS_REMOTE_DIRECTORY (self), NULL);

  return self->error;
}

guint
pas_remote_directory_get_n_hidden_unsafe (PasRemoteDirectory *self)
{
  g_return_val_if_fail (PAS_IS_REMOTE_DIRECTORY (self), 0);

  return self->n_unsafe;
}

char *
pas_remote_directory_describe (PasRemoteDirectory *self)
{
  g_return_val_if_fail (PAS_IS_REMOTE_DIRECTORY (self), NULL);

  return g_strdup_printf ("%s: %s, %s, %s, flush %s, %u items (%u announced), %u names to make%s",
                          self->path, self->listed ? "listed" : "listing", self->loading ? "loading" : "loaded",
                          self->building ? "building" : "not building", self->flush_id != 0 ? "armed" : "idle",
                          self->items->len, self->n_announced, self->n_to_build,
                          g_cancellable_is_cancelled (self->cancellable) ? ", cancelled" : "");
}

/* Stops the listing: nothing more is added. */
void
pas_remote_directory_cancel (PasRemoteDirectory *self)
{
  g_return_if_fail (PAS_IS_REMOTE_DIRECTORY (self));

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->listing);
  g_clear_handle_id (&self->flush_id, g_source_remove);
}

static void
pas_remote_directory_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  PasRemoteDirectory *self = PAS_REMOTE_DIRECTORY (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pas_remote_directory_dispose (GObject *object)
{
  PasRemoteDirectory *self = PAS_REMOTE_DIRECTORY (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->listing);
  g_clear_handle_id (&self->flush_id, g_source_remove);
  g_queue_clear_full (&self->to_build, (GDestroyNotify) g_ptr_array_unref);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (pas_remote_directory_parent_class)->dispose (object);
}

static void
pas_remote_directory_finalize (GObject *object)
{
  PasRemoteDirectory *self = PAS_REMOTE_DIRECTORY (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->listing);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_error (&self->error);
  g_free (self->path);

  G_OBJECT_CLASS (pas_remote_directory_parent_class)->finalize (object);
}

static void
pas_remote_directory_class_init (PasRemoteDirectoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = pas_remote_directory_get_property;
  object_class->dispose = pas_remote_directory_dispose;
  object_class->finalize = pas_remote_directory_finalize;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pas_remote_directory_init (PasRemoteDirectory *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
  self->listing = g_cancellable_new ();
}
