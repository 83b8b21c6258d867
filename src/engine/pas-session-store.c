#define G_LOG_DOMAIN "pas-session"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "pas-error.h"
#include "pas-session-store.h"

struct _PasSessionStore
{
  GObject    parent_instance;
  char      *path;
  GPtrArray *sessions;
  /* save_async: one write at a time; saves asked meanwhile wait for the
   * next one, which writes the sessions as they are then. */
  gboolean   writing;
  GPtrArray *waiting;    /* of GTask */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PasSessionStore, pas_session_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return PAS_TYPE_SESSION;
}

static guint
get_n_items (GListModel *model)
{
  return PAS_SESSION_STORE (model)->sessions->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  PasSessionStore *self = PAS_SESSION_STORE (model);

  return position < self->sessions->len ? g_object_ref (g_ptr_array_index (self->sessions, position)) : NULL;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
pas_session_store_finalize (GObject *object)
{
  PasSessionStore *self = PAS_SESSION_STORE (object);

  g_free (self->path);
  g_ptr_array_unref (self->sessions);
  g_ptr_array_unref (self->waiting);
  G_OBJECT_CLASS (pas_session_store_parent_class)->finalize (object);
}

static void
pas_session_store_class_init (PasSessionStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pas_session_store_finalize;
}

static void
pas_session_store_init (PasSessionStore *self)
{
  self->sessions = g_ptr_array_new_with_free_func (g_object_unref);
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * pas_session_store_new:
 * @path: (nullable): the file; NULL for $XDG_CONFIG_HOME/passerelle/sessions.ini
 */
PasSessionStore *
pas_session_store_new (const char *path)
{
  PasSessionStore *self = g_object_new (PAS_TYPE_SESSION_STORE, NULL);

  self->path = path != NULL ? g_strdup (path)
                            : g_build_filename (g_get_user_config_dir (), "passerelle", "sessions.ini", NULL);
  return self;
}

const char *
pas_session_store_get_path (PasSessionStore *self)
{
  g_return_val_if_fail (PAS_IS_SESSION_STORE (self), NULL);

  return self->path;
}

/* Keeps a copy of a file we could not understand before anything overwrites it. */
static char *
keep_aside (PasSessionStore *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *copy = g_strdup_printf ("%s.damaged-%s", self->path, stamp);
  g_autofree char *contents = NULL;
  gsize len;

  if (!g_file_get_contents (self->path, &contents, &len, NULL) ||
      !g_file_set_contents_full (copy, contents, len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, NULL))
    return NULL;
  return g_steal_pointer (&copy);
}

gboolean
pas_session_store_load (PasSessionStore *self,
                        GError         **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  g_auto(GStrv) groups = NULL;
  guint old_len;

  g_return_val_if_fail (PAS_IS_SESSION_STORE (self), FALSE);

  old_len = self->sessions->len;

  if (!g_key_file_load_from_file (file, self->path, G_KEY_FILE_KEEP_COMMENTS, &local_error))
    {
      g_autofree char *copy = NULL;

      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      copy = keep_aside (self);
      g_set_error (error, PAS_ERROR, PAS_ERROR_FAILED,
                   _("The saved sessions in “%s” could not be read (%s); a copy was kept in “%s”"),
                   self->path, local_error->message, copy != NULL ? copy : _("nowhere: copying failed too"));
      return FALSE;
    }

  g_ptr_array_set_size (self->sessions, 0);
  groups = g_key_file_get_groups (file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autoptr(PasSession) session = pas_session_new ();
      g_autoptr(GError) bad = NULL;

      if (pas_session_load (session, file, groups[i], &bad))
        g_ptr_array_add (self->sessions, g_steal_pointer (&session));
      else
        g_string_append_printf (problems, "%s%s", problems->len > 0 ? "; " : "", bad->message);
    }
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->sessions->len);

  if (problems->len > 0)
    {
      g_autofree char *copy = keep_aside (self);
      g_set_error (error, PAS_ERROR, PAS_ERROR_FAILED,
                   _("Some saved sessions were skipped: %s. A copy of the file was kept in “%s”"),
                   problems->str, copy != NULL ? copy : _("nowhere: copying failed too"));
      return FALSE;
    }
  return TRUE;
}

static GBytes *
snapshot (PasSessionStore *self)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  gsize len;
  char *data;

  for (guint i = 0; i < self->sessions->len; i++)
    {
      PasSession *session = g_ptr_array_index (self->sessions, i);
      pas_session_save (session, file, pas_session_get_id (session));
    }
  data = g_key_file_to_data (file, &len, NULL);
  return g_bytes_new_take (data, len);
}

static gboolean
write_file (const char *path,
            GBytes     *data,
            GError    **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Could not create “%s”: %s"), dir,
                   g_strerror (saved));
      return FALSE;
    }
  /* Written beside, then renamed: never half a file. */
  return g_file_set_contents_full (path, g_bytes_get_data (data, NULL), (gssize) g_bytes_get_size (data),
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

gboolean
pas_session_store_save (PasSessionStore *self,
                        GError         **error)
{
  g_autoptr(GBytes) data = NULL;

  g_return_val_if_fail (PAS_IS_SESSION_STORE (self), FALSE);

  data = snapshot (self);
  return write_file (self->path, data, error);
}

typedef struct
{
  char   *path;
  GBytes *data;
} Write;

static void
write_free (Write *write)
{
  g_free (write->path);
  g_bytes_unref (write->data);
  g_free (write);
}

static void
write_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Write *write = task_data;
  GError *error = NULL;

  if (write_file (write->path, write->data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void start_write (PasSessionStore *self, GPtrArray *tasks);

static void
written_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      data)
{
  PasSessionStore *self = PAS_SESSION_STORE (object);
  g_autoptr(GPtrArray) tasks = data;
  g_autoptr(GError) error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  for (guint i = 0; i < tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (tasks, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
  self->writing = FALSE;
  if (self->waiting->len > 0)
    {
      GPtrArray *next = g_steal_pointer (&self->waiting);

      self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
      start_write (self, next);
    }
}

/* Writes the sessions as they are now; @tasks are answered when it ends. */
static void
start_write (PasSessionStore *self,
             GPtrArray       *tasks)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, written_cb, tasks);
  Write *write = g_new0 (Write, 1);

  write->path = g_strdup (self->path);
  write->data = snapshot (self);
  self->writing = TRUE;
  g_task_set_source_tag (task, start_write);
  g_task_set_task_data (task, write, (GDestroyNotify) write_free);
  g_task_run_in_thread (task, write_thread);
}

void
pas_session_store_save_async (PasSessionStore    *self,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  GTask *task;

  g_return_if_fail (PAS_IS_SESSION_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pas_session_store_save_async);
  if (self->writing)
    {
      g_ptr_array_add (self->waiting, task);
      return;
    }
  {
    GPtrArray *tasks = g_ptr_array_new_with_free_func (g_object_unref);

    g_ptr_array_add (tasks, task);
    start_write (self, tasks);
  }
}

gboolean
pas_session_store_save_finish (PasSessionStore *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pas_session_store_save_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
pas_session_store_add (PasSessionStore *self,
                       PasSession      *session)
{
  g_return_if_fail (PAS_IS_SESSION_STORE (self));

  g_ptr_array_add (self->sessions, g_object_ref (session));
  g_list_model_items_changed (G_LIST_MODEL (self), self->sessions->len - 1, 0, 1);
}

void
pas_session_store_remove (PasSessionStore *self,
                          PasSession      *session)
{
  guint index;

  g_return_if_fail (PAS_IS_SESSION_STORE (self));

  if (g_ptr_array_find (self->sessions, session, &index))
    {
      g_ptr_array_remove_index (self->sessions, index);
      g_list_model_items_changed (G_LIST_MODEL (self), index, 1, 0);
    }
}

PasSession *
pas_session_store_find (PasSessionStore *self,
                        const char      *name)
{
  g_return_val_if_fail (PAS_IS_SESSION_STORE (self), NULL);

  for (guint i = 0; i < self->sessions->len; i++)
    if (g_strcmp0 (pas_session_get_name (g_ptr_array_index (self->sessions, i)), name) == 0)
      return g_ptr_array_index (self->sessions, i);
  return NULL;
}
