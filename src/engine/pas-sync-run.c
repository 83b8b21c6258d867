#define G_LOG_DOMAIN "pas-sync"

#include "config.h"

#include <string.h>

#include "pas-error.h"
#include "pas-sftp-tree.h"
#include "pas-sync.h"
#include "pas-sync-private.h"

/* The asynchronous halves of a sync, shared by passerelle-cli and the
 * window: both sides compared, then deletions and folders carried out. */

PasTransfer *
pas_sync_plan_new_transfer (GPtrArray  *actions,
                            gboolean    upload,
                            GFile      *local,
                            const char *remote)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();
  guint64 bytes = 0;
  PasTransfer *transfer;

  g_return_val_if_fail (actions != NULL && G_IS_FILE (local) && remote != NULL, NULL);

  for (guint i = 0; i < actions->len; i++)
    {
      const PasSyncAction *action = g_ptr_array_index (actions, i);

      if (action->kind != PAS_SYNC_COPY)
        continue;
      g_ptr_array_add (paths, action->path);
      bytes += action->size;
    }
  if (paths->len == 0)
    return NULL;
  g_ptr_array_add (paths, NULL);
  transfer = pas_transfer_new (upload ? PAS_TRANSFER_UPLOAD : PAS_TRANSFER_DOWNLOAD, remote, local);
  if (!pas_transfer_set_files (transfer, (const char * const *) paths->pdata))
    {
      /* The plan's paths come from our own listings, which keep names safe. */
      g_critical ("a sync plan holds a path outside its folders");
      g_object_unref (transfer);
      return NULL;
    }
  pas_transfer_set_conflict_policy (transfer, PAS_CONFLICT_OVERWRITE);
  pas_transfer_set_preserve (transfer, TRUE);
  pas_transfer_set_max_files (transfer, PAS_SYNC_COPIES_AT_ONCE);
  pas_transfer_set_expected_size (transfer, (gint64) MIN (bytes, (guint64) G_MAXINT64));
  return transfer;
}

void
pas_sync_comparison_free (PasSyncComparison *comparison)
{
  if (comparison == NULL)
    return;
  g_clear_pointer (&comparison->source, g_hash_table_unref);
  g_clear_pointer (&comparison->destination, g_hash_table_unref);
  g_clear_pointer (&comparison->differing, g_hash_table_unref);
  g_free (comparison);
}

/* ---- comparing ----------------------------------------------------------- */

typedef struct
{
  GFile          *local;
  char           *remote;
  gboolean        upload;
  PasSyncOptions  options;        /* excludes owned */
  guint           pending;        /* listings, then hashes, still running */
  GHashTable     *local_tree;
  GHashTable     *remote_tree;
  GError         *local_error;
  GError         *remote_error;
  guint           n_unsafe;
  GPtrArray      *same_looking;   /* checksum: paths to read on both sides */
  guint           next;
  char           *local_hash;
  char           *remote_hash;
  GHashTable     *differing;
} Compare;

static void
compare_free (Compare *c)
{
  g_object_unref (c->local);
  g_free (c->remote);
  g_strfreev (c->options.excludes);
  g_clear_pointer (&c->local_tree, g_hash_table_unref);
  g_clear_pointer (&c->remote_tree, g_hash_table_unref);
  g_clear_error (&c->local_error);
  g_clear_error (&c->remote_error);
  g_clear_pointer (&c->same_looking, g_ptr_array_unref);
  g_free (c->local_hash);
  g_free (c->remote_hash);
  g_clear_pointer (&c->differing, g_hash_table_unref);
  g_free (c);
}

static void
list_local_thread (GTask        *task,
                   gpointer      source,
                   gpointer      data,
                   GCancellable *cancellable)
{
  Compare *c = data;
  GError *error = NULL;
  GHashTable *tree = pas_sync_list_local (c->local, &c->options, cancellable, &error);

  if (tree == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, tree, (GDestroyNotify) g_hash_table_unref);
}

static void
hash_local_thread (GTask        *task,
                   gpointer      source,
                   gpointer      data,
                   GCancellable *cancellable)
{
  GError *error = NULL;
  char *hash = pas_sync_hash_local (data, cancellable, &error);

  if (hash == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, hash, g_free);
}

static void
compare_return (GTask *task)
{
  Compare *c = g_task_get_task_data (task);
  PasSyncComparison *comparison = g_new0 (PasSyncComparison, 1);

  GHashTable **source = c->upload ? &c->local_tree : &c->remote_tree;
  GHashTable **destination = c->upload ? &c->remote_tree : &c->local_tree;

  comparison->source = g_steal_pointer (source);
  comparison->destination = g_steal_pointer (destination);
  comparison->destination_exists = (c->upload ? c->remote_error : c->local_error) == NULL;
  if (comparison->destination == NULL)
    comparison->destination = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  comparison->differing = g_steal_pointer (&c->differing);
  comparison->n_unsafe = c->n_unsafe;
  g_task_return_pointer (task, comparison, (GDestroyNotify) pas_sync_comparison_free);
}

static void hash_next (GTask *task);

static void
hashed (GTask *task)
{
  Compare *c = g_task_get_task_data (task);
  const char *path = g_ptr_array_index (c->same_looking, c->next);

  if (--c->pending > 0)
    return;
  /* One that cannot be read is copied: the copy says why if it fails. */
  if (c->local_hash == NULL || c->remote_hash == NULL || strcmp (c->local_hash, c->remote_hash) != 0)
    g_hash_table_add (c->differing, g_strdup (path));
  g_clear_pointer (&c->local_hash, g_free);
  g_clear_pointer (&c->remote_hash, g_free);
  c->next++;
  hash_next (task);
}

static void
local_hashed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Compare *c = g_task_get_task_data (task);

  c->local_hash = g_task_propagate_pointer (G_TASK (result), NULL);
  hashed (task);
}

static void
remote_hashed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Compare *c = g_task_get_task_data (task);

  c->remote_hash = pas_sync_hash_remote_finish (PAS_SFTP_SESSION (source), result, NULL);
  hashed (task);
}

/* Contents read one file at a time, both sides at once. */
static void
hash_next (GTask *task)
{
  Compare *c = g_task_get_task_data (task);
  const char *path;
  g_autoptr(GTask) local_task = NULL;
  g_autofree char *remote = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (c->next == c->same_looking->len)
    {
      compare_return (task);
      return;
    }
  path = g_ptr_array_index (c->same_looking, c->next);
  remote = pas_sync_remote_path (c->remote, path);
  c->pending = 2;
  local_task = g_task_new (NULL, g_task_get_cancellable (task), local_hashed_cb, g_object_ref (task));
  g_task_set_source_tag (local_task, hash_next);
  g_task_set_task_data (local_task, pas_sync_local_file (c->local, path), g_object_unref);
  g_task_run_in_thread (local_task, hash_local_thread);
  pas_sync_hash_remote_async (g_task_get_source_object (task), remote, g_task_get_cancellable (task),
                              remote_hashed_cb, g_object_ref (task));
}

static void
listed (GTask *task)
{
  Compare *c = g_task_get_task_data (task);
  GError *source_error = c->upload ? c->local_error : c->remote_error;
  GError *destination_error = c->upload ? c->remote_error : c->local_error;

  if (--c->pending > 0)
    return;
  if (source_error != NULL)
    {
      g_task_return_error (task, g_error_copy (source_error));
      return;
    }
  if (destination_error != NULL && !pas_error_is_not_found (destination_error))
    {
      g_task_return_error (task, g_error_copy (destination_error));
      return;
    }
  c->differing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (c->options.checksum && destination_error == NULL)
    {
      g_autoptr(GPtrArray) plan = NULL;

      c->same_looking = g_ptr_array_new_with_free_func (g_free);
      plan = pas_sync_plan (c->upload ? c->local_tree : c->remote_tree, c->upload ? c->remote_tree : c->local_tree,
                            &c->options, NULL, c->same_looking);
      hash_next (task);
      return;
    }
  compare_return (task);
}

static void
local_listed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Compare *c = g_task_get_task_data (task);

  c->local_tree = g_task_propagate_pointer (G_TASK (result), &c->local_error);
  listed (task);
}

static void
remote_listed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Compare *c = g_task_get_task_data (task);

  c->remote_tree = pas_sync_list_remote_finish (PAS_SFTP_SESSION (source), result, &c->n_unsafe, &c->remote_error);
  listed (task);
}

void
pas_sync_compare_async (PasSftpSession       *session,
                        GFile                *local,
                        const char           *remote,
                        gboolean              upload,
                        const PasSyncOptions *options,
                        GCancellable         *cancellable,
                        GAsyncReadyCallback   callback,
                        gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) local_task = NULL;
  Compare *c;

  g_return_if_fail (PAS_IS_SFTP_SESSION (session));
  g_return_if_fail (G_IS_FILE (local) && remote != NULL && options != NULL);

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, pas_sync_compare_async);
  c = g_new0 (Compare, 1);
  c->local = g_object_ref (local);
  c->remote = g_strdup (remote);
  c->upload = upload;
  c->options = *options;
  c->options.excludes = g_strdupv (options->excludes);
  c->pending = 2;
  g_task_set_task_data (task, c, (GDestroyNotify) compare_free);

  local_task = g_task_new (NULL, cancellable, local_listed_cb, g_object_ref (task));
  g_task_set_source_tag (local_task, pas_sync_compare_async);
  g_task_set_task_data (local_task, c, NULL);
  g_task_run_in_thread (local_task, list_local_thread);
  pas_sync_list_remote_async (session, remote, &c->options, cancellable, remote_listed_cb, g_object_ref (task));
}

PasSyncComparison *
pas_sync_compare_finish (PasSftpSession *session,
                         GAsyncResult   *result,
                         GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, session), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pas_sync_compare_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- deletions and folders ----------------------------------------------- */

typedef struct
{
  GFile     *local;
  char      *remote;
  gboolean   upload;
  gboolean   make_destination;
  GPtrArray *plan;        /* the caller's, kept */
  GPtrArray *actions;     /* its deletions and folders, borrowed from it */
  guint      next;
  GPtrArray *failures;    /* of char * */
} Apply;

static void
apply_free (Apply *a)
{
  g_object_unref (a->local);
  g_free (a->remote);
  g_ptr_array_unref (a->actions);
  g_ptr_array_unref (a->plan);
  g_clear_pointer (&a->failures, g_ptr_array_unref);
  g_free (a);
}

static void
fail (Apply        *a,
      const char   *path,
      const GError *error)
{
  g_ptr_array_add (a->failures, g_strdup_printf ("%s: %s", path[0] != '\0' ? path : ".", error->message));
}

static gboolean
delete_local (GFile        *file,
              GCancellable *cancellable,
              GError      **error)
{
  if (g_file_query_file_type (file, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable) == G_FILE_TYPE_DIRECTORY)
    {
      g_autoptr(GFileEnumerator) children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                                       G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                                                       cancellable, error);
      GFileInfo *info;
      GError *local_error = NULL;

      if (children == NULL)
        return FALSE;
      while ((info = g_file_enumerator_next_file (children, cancellable, &local_error)) != NULL)
        {
          g_autoptr(GFileInfo) owned = info;
          g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));

          if (!delete_local (child, cancellable, error))
            return FALSE;
        }
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
    }
  return g_file_delete (file, cancellable, error);
}

/* Download: every change is local, made in a thread. */
static void
apply_local_thread (GTask        *task,
                    gpointer      source,
                    gpointer      data,
                    GCancellable *cancellable)
{
  Apply *a = data;

  if (a->make_destination)
    {
      g_autoptr(GError) error = NULL;

      if (!g_file_make_directory_with_parents (a->local, cancellable, &error) &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  for (guint i = 0; i < a->actions->len; i++)
    {
      PasSyncAction *action = g_ptr_array_index (a->actions, i);
      g_autoptr(GFile) file = pas_sync_local_file (a->local, action->path);
      g_autoptr(GError) error = NULL;

      if (action->kind == PAS_SYNC_DELETE)
        delete_local (file, cancellable, &error);
      else
        g_file_make_directory (file, cancellable, &error);
      if (error != NULL)
        fail (a, action->path, error);
    }
  g_task_return_pointer (task, g_steal_pointer (&a->failures), (GDestroyNotify) g_ptr_array_unref);
}

static void apply_next (GTask *task);

/* A step's end; @error (taken) is set when it failed. */
static void
applied (GTask  *task,
         GError *error)
{
  Apply *a = g_task_get_task_data (task);
  g_autoptr(GError) failed = error;

  if (failed != NULL)
    {
      if (a->next == 1 && a->make_destination)
        {
          g_task_return_error (task, g_steal_pointer (&failed));
          return;
        }
      fail (a, ((PasSyncAction *) g_ptr_array_index (a->actions, a->next - 1 - a->make_destination))->path, failed);
    }
  apply_next (task);
}

static void
make_directories_cb (GObject      *source,
GAsyncResult *result,
gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  pas_sftp_session_make_directories_finish (PAS_SFTP_SESSION (source), result, &error);
  applied (task, error);
}

static void
mkdir_cb (GObject      *source,
GAsyncResult *result,
gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  pas_sftp_session_mkdir_finish (PAS_SFTP_SESSION (source), result, &error);
  applied (task, error);
}

static void
remove_tree_cb (GObject      *source,
GAsyncResult *result,
gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  pas_sftp_session_remove_tree_finish (PAS_SFTP_SESSION (source), result, &error);
  applied (task, error);
}

static void
remove_cb (GObject      *source,
GAsyncResult *result,
gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  pas_sftp_session_remove_finish (PAS_SFTP_SESSION (source), result, &error);
  applied (task, error);
}

/* Upload: one request after another (a folder before what goes in it). */
static void
apply_next (GTask *task)
{
  Apply *a = g_task_get_task_data (task);
  PasSftpSession *session = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  guint step = a->next++;
  PasSyncAction *action;
  g_autofree char *path = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (step == 0 && a->make_destination)
    {
      pas_sftp_session_make_directories_async (session, a->remote, 0755, cancellable, make_directories_cb,
                                               g_object_ref (task));
      return;
    }
  step -= a->make_destination;
  if (step == a->actions->len)
    {
      g_task_return_pointer (task, g_steal_pointer (&a->failures), (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  action = g_ptr_array_index (a->actions, step);
  path = pas_sync_remote_path (a->remote, action->path);
  if (action->kind == PAS_SYNC_MKDIR)
    pas_sftp_session_mkdir_async (session, path, 0755, cancellable, mkdir_cb, g_object_ref (task));
  else if (action->folder)
    pas_sftp_session_remove_tree_async (session, path, cancellable, remove_tree_cb, g_object_ref (task));
  else
    pas_sftp_session_remove_async (session, path, cancellable, remove_cb, g_object_ref (task));
}

void
pas_sync_apply_async (PasSftpSession     *session,
                      GFile              *local,
                      const char         *remote,
                      gboolean            upload,
                      gboolean            make_destination,
                      GPtrArray          *actions,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  Apply *a;

  g_return_if_fail (PAS_IS_SFTP_SESSION (session));
  g_return_if_fail (G_IS_FILE (local) && remote != NULL && actions != NULL);

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, pas_sync_apply_async);
  a = g_new0 (Apply, 1);
  a->local = g_object_ref (local);
  a->remote = g_strdup (remote);
  a->upload = upload;
  a->make_destination = make_destination;
  a->failures = g_ptr_array_new_with_free_func (g_free);
  a->plan = g_ptr_array_ref (actions);
  a->actions = g_ptr_array_new ();
  for (guint i = 0; i < actions->len; i++)
    {
      PasSyncAction *action = g_ptr_array_index (actions, i);

      if (action->kind != PAS_SYNC_COPY)
        g_ptr_array_add (a->actions, action);
    }
  g_task_set_task_data (task, a, (GDestroyNotify) apply_free);
  if (upload)
    apply_next (task);
  else
    g_task_run_in_thread (task, apply_local_thread);
}

GPtrArray *
pas_sync_apply_finish (PasSftpSession *session,
                       GAsyncResult   *result,
                       GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, session), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pas_sync_apply_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
