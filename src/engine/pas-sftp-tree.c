#define G_LOG_DOMAIN "pas-sftp"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pas-error.h"
#include "pas-names.h"
#include "pas-remote-file.h"
#include "pas-sftp-list.h"
#include "pas-sftp-session-private.h"
#include "pas-sftp-tree.h"

/* Whole-tree operations built on the session's requests. */

#define MAX_DEPTH 64
#define REMOVALS_IN_FLIGHT 64

/* ---- recursive delete ---------------------------------------------------- */

/* First the whole tree is listed (nothing is deleted if a listing fails or
 * holds a name that could point elsewhere); then files and links go, many
 * at a time; then the folders, deepest first, one by one. */
typedef struct
{
  PasSftpSession *self;
  GQueue          to_list;     /* of DirToList */
  GPtrArray      *dirs;        /* in the order found: parents before children */
  GPtrArray      *files;       /* files and links */
  guint           next_file;
  guint           inflight;
  guint           next_dir;
  GError         *error;
} RemoveTree;

typedef struct
{
  char  *path;
  guint  depth;
} DirToList;

static void
dir_to_list_free (DirToList *d)
{
  g_free (d->path);
  g_free (d);
}

static void
remove_tree_free (RemoveTree *job)
{
  g_queue_clear_full (&job->to_list, (GDestroyNotify) dir_to_list_free);
  g_ptr_array_unref (job->dirs);
  g_ptr_array_unref (job->files);
  g_clear_error (&job->error);
  g_free (job);
}

static void remove_next_dir (GTask *task);
static void remove_files (GTask *task);
static void list_next (GTask *task);

static void
rmdir_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  GTask *task = data;
  RemoveTree *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!pas_sftp_session_rmdir_finish (job->self, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  remove_next_dir (task);
}

static void
remove_next_dir (GTask *task)
{
  RemoveTree *job = g_task_get_task_data (task);

  if (job->next_dir == 0)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  pas_sftp_session_rmdir_async (job->self, g_ptr_array_index (job->dirs, --job->next_dir),
                                g_task_get_cancellable (task), rmdir_cb, task);
}

static void
removed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  GTask *task = data;
  RemoveTree *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  job->inflight--;
  if (!pas_sftp_session_remove_finish (job->self, result, &error) && job->error == NULL)
    job->error = g_steal_pointer (&error);
  remove_files (task);
}

static void
remove_files (GTask *task)
{
  RemoveTree *job = g_task_get_task_data (task);

  while (job->error == NULL && job->inflight < REMOVALS_IN_FLIGHT && job->next_file < job->files->len)
    {
      job->inflight++;
      pas_sftp_session_remove_async (job->self, g_ptr_array_index (job->files, job->next_file++),
                                     g_task_get_cancellable (task), removed_cb, task);
    }
  if (job->inflight > 0)
    return;
  if (job->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&job->error));
      g_object_unref (task);
      return;
    }
  job->next_dir = job->dirs->len;
  remove_next_dir (task);
}

typedef struct
{
  GTask *task;
  DirToList *dir;
} Listing;

static void
listed_batch (GPtrArray *names,
              gpointer   data)
{
  Listing *listing = data;
  RemoveTree *job = g_task_get_task_data (listing->task);

  for (guint i = 0; i < names->len && job->error == NULL; i++)
    {
      g_autoptr(PasRemoteFile) file = pas_remote_file_new (listing->dir->path, g_ptr_array_index (names, i));

      if (!pas_remote_file_is_name_safe (file))
        {
          g_set_error (&job->error, PAS_ERROR, PAS_ERROR_UNSAFE_NAME,
                       _("The server listed an unusable name, “%s”"), pas_remote_file_get_display_name (file));
          break;
        }
      if (pas_remote_file_get_file_type (file) == G_FILE_TYPE_DIRECTORY)
        {
          DirToList *child = g_new0 (DirToList, 1);

          child->path = g_strdup (pas_remote_file_get_path (file));
          child->depth = listing->dir->depth + 1;
          g_queue_push_tail (&job->to_list, child);
        }
      else
        g_ptr_array_add (job->files, g_strdup (pas_remote_file_get_path (file)));
    }
}

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_autofree Listing *listing = data;
  GTask *task = listing->task;
  RemoveTree *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!pas_sftp_session_list_finish (job->self, result, &error) && job->error == NULL)
    job->error = g_steal_pointer (&error);
  dir_to_list_free (listing->dir);
  if (job->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&job->error));
      g_object_unref (task);
      return;
    }
  list_next (task);
}

static void
list_next (GTask *task)
{
  RemoveTree *job = g_task_get_task_data (task);
  Listing *listing;

  if (g_queue_is_empty (&job->to_list))
    {
      remove_files (task);
      return;
    }
  listing = g_new0 (Listing, 1);
  listing->task = task;
  listing->dir = g_queue_pop_head (&job->to_list);
  if (listing->dir->depth > MAX_DEPTH)
    {
      g_autofree char *shown = pas_name_escape_for_display (listing->dir->path, -1);
      dir_to_list_free (listing->dir);
      g_free (listing);
      g_task_return_new_error (task, PAS_ERROR, PAS_ERROR_FAILED, _("“%s” is nested too deeply"), shown);
      g_object_unref (task);
      return;
    }
  g_ptr_array_add (job->dirs, g_strdup (listing->dir->path));
  pas_sftp_session_list_async (job->self, listing->dir->path, listed_batch, listing,
                               g_task_get_cancellable (task), listed_cb, listing);
}

static void
top_stat_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  GTask *task = data;
  RemoveTree *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  PasSftpAttrs attrs;

  if (!pas_sftp_session_stat_finish (job->self, result, &attrs, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if ((attrs.permissions & 0170000) != 0040000)
    {
      /* A file or a link: just that. */
      DirToList *top = g_queue_pop_head (&job->to_list);

      g_ptr_array_add (job->files, g_steal_pointer (&top->path));
      dir_to_list_free (top);
      remove_files (task);
      return;
    }
  list_next (task);
}

void
pas_sftp_session_remove_tree_async (PasSftpSession     *self,
                                    const char         *path,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data)
{
  GTask *task;
  RemoveTree *job = g_new0 (RemoveTree, 1);
  DirToList *top = g_new0 (DirToList, 1);

  g_return_if_fail (PAS_IS_SFTP_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pas_sftp_session_remove_tree_async);

  job->self = self;
  job->dirs = g_ptr_array_new_with_free_func (g_free);
  job->files = g_ptr_array_new_with_free_func (g_free);
  g_queue_init (&job->to_list);
  top->path = g_strdup (path);
  g_queue_push_tail (&job->to_list, top);
  g_task_set_task_data (task, job, (GDestroyNotify) remove_tree_free);
  /* lstat: a link to a folder is removed as a link. */
  pas_sftp_session_stat_async (self, path, FALSE, cancellable, top_stat_cb, task);
}

gboolean
pas_sftp_session_remove_tree_finish (PasSftpSession *self,
GAsyncResult   *result,
GError        **error)
{
  g_return_val_if_fail (PAS_IS_SFTP_SESSION (self), FALSE);

  return pas_sftp_finish_boolean (self, result, pas_sftp_session_remove_tree_async, error);
}

/* ---- mkdir -p ------------------------------------------------------------ */

typedef struct
{
  PasSftpSession *self;
  GPtrArray      *pending;    /* paths still to create, deepest first */
  guint32         mode;
} MakeDirs;

static void
make_dirs_free (MakeDirs *job)
{
  g_ptr_array_unref (job->pending);
  g_free (job);
}

static void make_next (GTask *task);

static void
existing_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  GTask *task = data;
  MakeDirs *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  PasSftpAttrs attrs;
  const char *path = g_ptr_array_index (job->pending, job->pending->len - 1);

  if (pas_sftp_session_stat_finish (job->self, result, &attrs, &error))
    {
      if ((attrs.permissions & 0170000) == 0040000)
        {
          g_ptr_array_set_size (job->pending, job->pending->len - 1);
          make_next (task);
          return;
        }
      {
        g_autofree char *shown = pas_name_escape_for_display (path, -1);
        g_task_return_new_error (task, PAS_ERROR, PAS_ERROR_EXISTS, _("“%s” is in the way of a folder"), shown);
      }
    }
  else if (g_error_matches (error, PAS_ERROR, PAS_ERROR_NOT_FOUND) && strcmp (path, "/") != 0)
    {
      /* Its parent is missing too: make that first. */
      g_autofree char *parent = g_path_get_dirname (path);

      if (strcmp (parent, path) != 0 && strcmp (parent, ".") != 0)
        {
          g_ptr_array_add (job->pending, g_steal_pointer (&parent));
          make_next (task);
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    g_task_return_error (task, g_steal_pointer (&error));
  g_object_unref (task);
}

static void
made_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  GTask *task = data;
  MakeDirs *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (pas_sftp_session_mkdir_finish (job->self, result, &error))
    {
      g_ptr_array_set_size (job->pending, job->pending->len - 1);
      make_next (task);
      return;
    }
  /* It exists, or its parent does not: a stat tells which. */
  pas_sftp_session_stat_async (job->self, g_ptr_array_index (job->pending, job->pending->len - 1), TRUE,
                               g_task_get_cancellable (task), existing_cb, task);
}

/* Tries the deepest missing folder first: when its parents exist (the usual
 * case) that is one round trip. */
static void
make_next (GTask *task)
{
  MakeDirs *job = g_task_get_task_data (task);

  if (job->pending->len == 0)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  if (job->pending->len > MAX_DEPTH)
    {
      g_autofree char *shown = pas_name_escape_for_display (g_ptr_array_index (job->pending, 0), -1);

      g_task_return_new_error (task, PAS_ERROR, PAS_ERROR_FAILED, _("“%s” is nested too deeply"), shown);
      g_object_unref (task);
      return;
    }
  pas_sftp_session_mkdir_async (job->self, g_ptr_array_index (job->pending, job->pending->len - 1), job->mode,
                                g_task_get_cancellable (task), made_cb, task);
}

void
pas_sftp_session_make_directories_async (PasSftpSession     *self,
                                         const char         *path,
                                         guint32             mode,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data)
{
  GTask *task;
  MakeDirs *job = g_new0 (MakeDirs, 1);

  g_return_if_fail (PAS_IS_SFTP_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pas_sftp_session_make_directories_async);

  job->self = self;
  job->mode = mode;
  job->pending = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (job->pending, g_strdup (path));
  g_task_set_task_data (task, job, (GDestroyNotify) make_dirs_free);
  make_next (task);
}

gboolean
pas_sftp_session_make_directories_finish (PasSftpSession *self,
GAsyncResult   *result,
GError        **error)
{
  g_return_val_if_fail (PAS_IS_SFTP_SESSION (self), FALSE);

  return pas_sftp_finish_boolean (self, result, pas_sftp_session_make_directories_async, error);
}
