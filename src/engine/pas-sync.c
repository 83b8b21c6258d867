#define G_LOG_DOMAIN "pas-sync"

#include "config.h"

#include <string.h>

#include "pas-error.h"
#include "pas-remote-file.h"
#include "pas-sftp-file.h"
#include "pas-sftp-list.h"
#include "pas-sync.h"
#include "pas-sync-private.h"

void
pas_sync_action_free (PasSyncAction *action)
{
  if (action == NULL)
    return;
  g_free (action->path);
  g_free (action);
}

const char *
pas_sync_reason_to_string (PasSyncReason reason)
{
  static const char *names[] = { "new", "size", "time", "content", "type", "extra", "replaces-newer" };

  g_return_val_if_fail (reason < G_N_ELEMENTS (names), "");
  return names[reason];
}

gboolean
pas_sync_is_excluded (const PasSyncOptions *options,
                      const char           *path,
                      gboolean              folder)
{
  const char *slash = strrchr (path, '/');
  const char *name = slash != NULL ? slash + 1 : path;

  for (char **glob = options->excludes; glob != NULL && *glob != NULL; glob++)
    {
      gsize length = strlen (*glob);
      g_autofree char *pattern = NULL;

      if (length == 0)
        continue;
      if ((*glob)[length - 1] == '/')
        {
          if (!folder || length == 1)
            continue;
          pattern = g_strndup (*glob, length - 1);
        }
      else
        pattern = g_strdup (*glob);
      if (g_pattern_match_simple (pattern, name) || g_pattern_match_simple (pattern, path))
        return TRUE;
    }
  return FALSE;
}

static GHashTable *
tree_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* @folder and the folders above it hold an excluded name. */
static void
mark_holders (GHashTable *tree,
              const char *folder)
{
  g_autofree char *path = g_strdup (folder);
  char *slash;

  while (path[0] != '\0')
    {
      PasSyncEntry *entry = g_hash_table_lookup (tree, path);

      if (entry == NULL || entry->holds_excluded)
        return;
      entry->holds_excluded = TRUE;
      slash = strrchr (path, '/');
      if (slash == NULL)
        return;
      *slash = '\0';
    }
}

char *
pas_sync_remote_path (const char *root,
                      const char *relative)
{
  if (relative[0] == '\0')
    return g_strdup (root);
  if (g_str_has_suffix (root, "/"))
    return g_strconcat (root, relative, NULL);
  return g_strconcat (root, "/", relative, NULL);
}

GFile *
pas_sync_local_file (GFile      *root,
                     const char *relative)
{
  return relative[0] == '\0' ? g_object_ref (root) : g_file_resolve_relative_path (root, relative);
}

static char *
child_path (const char *parent,
            const char *name)
{
  return parent[0] == '\0' ? g_strdup (name) : g_strconcat (parent, "/", name, NULL);
}

/* ---- the local side ------------------------------------------------------ */

#define LOCAL_ATTRIBUTES "standard::name,standard::type,standard::size,time::modified"

GHashTable *
pas_sync_list_local (GFile                *root,
                     const PasSyncOptions *options,
                     GCancellable         *cancellable,
                     GError              **error)
{
  g_autoptr(GHashTable) tree = tree_new ();
  g_autoptr(GPtrArray) folders = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (G_IS_FILE (root), NULL);

  g_ptr_array_add (folders, g_strdup (""));
  while (folders->len > 0)
    {
      g_autofree char *folder = g_ptr_array_steal_index (folders, folders->len - 1);
      g_autoptr(GFile) dir = pas_sync_local_file (root, folder);
      g_autoptr(GFileEnumerator) children = NULL;
      GFileInfo *info;
      GError *local_error = NULL;

      children = g_file_enumerate_children (dir, LOCAL_ATTRIBUTES, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                            cancellable, error);
      if (children == NULL)
        return NULL;
      while ((info = g_file_enumerator_next_file (children, cancellable, &local_error)) != NULL)
        {
          g_autoptr(GFileInfo) owned = info;
          g_autofree char *path = child_path (folder, g_file_info_get_name (info));
          PasSyncEntry *entry = g_new0 (PasSyncEntry, 1);
          g_autoptr(GDateTime) modified = g_file_info_get_modification_date_time (info);

          entry->type = g_file_info_get_file_type (info);
          if (entry->type != G_FILE_TYPE_REGULAR && entry->type != G_FILE_TYPE_DIRECTORY &&
              entry->type != G_FILE_TYPE_SYMBOLIC_LINK)
            entry->type = G_FILE_TYPE_SPECIAL;
          if (pas_sync_is_excluded (options, path, entry->type == G_FILE_TYPE_DIRECTORY))
            {
              mark_holders (tree, folder);
              g_free (entry);
              continue;
            }
          if (entry->type == G_FILE_TYPE_REGULAR)
            entry->size = (guint64) g_file_info_get_size (info);
          entry->mtime = modified != NULL ? g_date_time_to_unix (modified) : 0;
          if (entry->type == G_FILE_TYPE_DIRECTORY)
            g_ptr_array_add (folders, g_strdup (path));
          g_hash_table_insert (tree, g_steal_pointer (&path), entry);
        }
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
    }
  return g_steal_pointer (&tree);
}

char *
pas_sync_hash_local (GFile        *file,
                     GCancellable *cancellable,
                     GError      **error)
{
  g_autoptr(GFileInputStream) in = g_file_read (file, cancellable, error);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = NULL;
  gssize got;

  if (in == NULL)
    return NULL;
  buffer = g_malloc (256 * 1024);
  while ((got = g_input_stream_read (G_INPUT_STREAM (in), buffer, 256 * 1024, cancellable, error)) > 0)
    g_checksum_update (checksum, buffer, got);
  if (got < 0)
    return NULL;
  return g_strdup (g_checksum_get_string (checksum));
}

/* ---- the remote side ----------------------------------------------------- */

/* Folders listed at once: each listing is a few round trips, and a tree of
 * small folders is all round trips. */
#define REMOTE_FOLDERS_AT_ONCE 8

typedef struct
{
  char        *root;
  char       **excludes;
  GHashTable  *tree;
  GQueue       folders;     /* relative paths still to list */
  guint        running;
  guint        n_unsafe;
  GError      *error;
} RemoteList;

typedef struct
{
  GTask *task;     /* owned */
  char  *folder;   /* relative */
} Listing;

static void
remote_list_free (RemoteList *list)
{
  g_free (list->root);
  g_strfreev (list->excludes);
  g_clear_pointer (&list->tree, g_hash_table_unref);
  g_queue_clear_full (&list->folders, g_free);
  g_clear_error (&list->error);
  g_free (list);
}

static void
remote_batch_cb (GPtrArray *names,
                 gpointer   user_data)
{
  Listing *listing = user_data;
  RemoteList *list = g_task_get_task_data (listing->task);
  PasSyncOptions options = { .excludes = list->excludes };
  g_autofree char *folder_path = pas_sync_remote_path (list->root, listing->folder);

  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(PasRemoteFile) file = pas_remote_file_new (folder_path, g_ptr_array_index (names, i));
      g_autofree char *path = NULL;
      PasSyncEntry *entry;

      if (!pas_remote_file_is_name_safe (file))
        {
          list->n_unsafe++;
          continue;
        }
      path = child_path (listing->folder, pas_remote_file_get_name (file));
      entry = g_new0 (PasSyncEntry, 1);
      entry->type = pas_remote_file_get_file_type (file);
      if (entry->type != G_FILE_TYPE_REGULAR && entry->type != G_FILE_TYPE_DIRECTORY &&
          entry->type != G_FILE_TYPE_SYMBOLIC_LINK)
        entry->type = G_FILE_TYPE_SPECIAL;
      if (pas_sync_is_excluded (&options, path, entry->type == G_FILE_TYPE_DIRECTORY))
        {
          mark_holders (list->tree, listing->folder);
          g_free (entry);
          continue;
        }
      if (entry->type == G_FILE_TYPE_REGULAR && pas_remote_file_has_size (file))
        entry->size = pas_remote_file_get_size (file);
      if (pas_remote_file_has_mtime (file))
        entry->mtime = pas_remote_file_get_mtime (file);
      if (entry->type == G_FILE_TYPE_DIRECTORY)
        g_queue_push_tail (&list->folders, g_strdup (path));
      g_hash_table_insert (list->tree, g_steal_pointer (&path), entry);
    }
}

static void list_more (GTask *task);

static void
remote_listed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Listing *listing = user_data;
  g_autoptr(GTask) task = listing->task;
  RemoteList *list = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  list->running--;
  if (!pas_sftp_session_list_finish (PAS_SFTP_SESSION (source), result, &error) && list->error == NULL)
    list->error = g_steal_pointer (&error);
  g_free (listing->folder);
  g_free (listing);
  list_more (task);
}

static void
list_more (GTask *task)
{
  RemoteList *list = g_task_get_task_data (task);

  while (list->error == NULL && list->running < REMOTE_FOLDERS_AT_ONCE && !g_queue_is_empty (&list->folders))
    {
      Listing *listing = g_new0 (Listing, 1);
      g_autofree char *path = NULL;

      listing->task = g_object_ref (task);
      listing->folder = g_queue_pop_head (&list->folders);
      path = pas_sync_remote_path (list->root, listing->folder);
      list->running++;
      pas_sftp_session_list_async (g_task_get_source_object (task), path, remote_batch_cb, listing,
                                   g_task_get_cancellable (task), remote_listed_cb, listing);
    }
  if (list->running > 0)
    return;
  if (list->error != NULL)
    g_task_return_error (task, g_steal_pointer (&list->error));
  else
    g_task_return_pointer (task, g_steal_pointer (&list->tree), (GDestroyNotify) g_hash_table_unref);
}

void
pas_sync_list_remote_async (PasSftpSession       *session,
                            const char           *root,
                            const PasSyncOptions *options,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  RemoteList *list;

  g_return_if_fail (PAS_IS_SFTP_SESSION (session));
  g_return_if_fail (root != NULL && options != NULL);

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, pas_sync_list_remote_async);
  list = g_new0 (RemoteList, 1);
  list->root = g_strdup (root);
  list->excludes = g_strdupv (options->excludes);
  list->tree = tree_new ();
  g_queue_push_tail (&list->folders, g_strdup (""));
  g_task_set_task_data (task, list, (GDestroyNotify) remote_list_free);
  list_more (task);
}

GHashTable *
pas_sync_list_remote_finish (PasSftpSession *session,
                             GAsyncResult   *result,
                             guint          *n_unsafe,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, session), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pas_sync_list_remote_async, NULL);

  if (n_unsafe != NULL)
    *n_unsafe = ((RemoteList *) g_task_get_task_data (G_TASK (result)))->n_unsafe;
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Reads pipelined, hashed in file order: one read at a time cost a round
 * trip per 32 KiB, and in the window a round trip through its main loop
 * (a 34 MB file took 25 s or more on loopback). */
#define HASH_CHUNK (64 * 1024)
#define HASH_DEPTH 16

typedef struct
{
  guint64  offset;
  guint32  length;
  gboolean done;
  GBytes  *bytes;       /* NULL at the end of the file */
} HashSlot;

typedef struct
{
  PasSftpSession *session;
  PasSftpFile    *file;
  GChecksum      *checksum;
  GQueue          slots;        /* of HashSlot, in file order */
  guint64         next_offset;  /* the next read to ask for */
  guint           inflight;
  gboolean        at_end;       /* EOF seen: ask no more */
  GError         *error;
} RemoteHash;

static void
hash_slot_free (HashSlot *slot)
{
  g_clear_pointer (&slot->bytes, g_bytes_unref);
  g_free (slot);
}

static void
remote_hash_free (RemoteHash *hash)
{
  g_clear_pointer (&hash->file, pas_sftp_file_unref);
  g_checksum_free (hash->checksum);
  g_queue_clear_full (&hash->slots, (GDestroyNotify) hash_slot_free);
  g_clear_error (&hash->error);
  g_free (hash);
}

static void
hash_closed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RemoteHash *hash = g_task_get_task_data (task);

  pas_sftp_session_close_file_finish (PAS_SFTP_SESSION (source), result, NULL);
  if (hash->error != NULL)
    g_task_return_error (task, g_steal_pointer (&hash->error));
  else
    g_task_return_pointer (task, g_strdup (g_checksum_get_string (hash->checksum)), g_free);
}

typedef struct
{
  GTask    *task;
  HashSlot *slot;
} HashRead;

static void hash_read_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
send_hash_read (GTask    *task,
                HashSlot *slot,
                gboolean  at_head)
{
  RemoteHash *hash = g_task_get_task_data (task);
  HashRead *read = g_new0 (HashRead, 1);

  read->task = g_object_ref (task);
  read->slot = slot;
  if (at_head)
    g_queue_push_head (&hash->slots, slot);
  else
    g_queue_push_tail (&hash->slots, slot);
  hash->inflight++;
  pas_sftp_session_read_async (hash->session, hash->file, slot->offset, slot->length, g_task_get_cancellable (task),
                               hash_read_cb, read);
}

/* Hashes what arrived in order, asks for more, and ends once nothing is
 * in flight after the end or an error. */
static void
hash_advance (GTask *task)
{
  RemoteHash *hash = g_task_get_task_data (task);
  HashSlot *head;

  while (hash->error == NULL && !hash->at_end && (head = g_queue_peek_head (&hash->slots)) != NULL && head->done)
    {
      gsize n = head->bytes != NULL ? g_bytes_get_size (head->bytes) : 0;

      g_queue_pop_head (&hash->slots);
      if (n == 0)
        hash->at_end = TRUE;
      else
        {
          g_checksum_update (hash->checksum, g_bytes_get_data (head->bytes, NULL), n);
          /* A short read is not the end in SFTP: the rest is asked for
           * before anything after it is hashed. */
          if (n < head->length)
            {
              HashSlot *rest = g_new0 (HashSlot, 1);

              rest->offset = head->offset + n;
              rest->length = head->length - (guint32) n;
              send_hash_read (task, rest, TRUE);
            }
        }
      hash_slot_free (head);
    }
  while (hash->error == NULL && !hash->at_end && hash->inflight < HASH_DEPTH)
    {
      HashSlot *slot = g_new0 (HashSlot, 1);

      slot->offset = hash->next_offset;
      slot->length = HASH_CHUNK;
      hash->next_offset += HASH_CHUNK;
      send_hash_read (task, slot, FALSE);
    }
  if ((hash->error != NULL || hash->at_end) && hash->inflight == 0 && hash->file != NULL)
    {
      PasSftpFile *file = g_steal_pointer (&hash->file);

      /* The end, or an error: the handle is closed either way. */
      pas_sftp_session_close_file_async (hash->session, file, NULL, hash_closed_cb, g_object_ref (task));
      pas_sftp_file_unref (file);
    }
}

static void
hash_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  HashRead *read = user_data;
  g_autoptr(GTask) task = read->task;
  RemoteHash *hash = g_task_get_task_data (task);
  GError *error = NULL;

  read->slot->bytes = pas_sftp_session_read_finish (PAS_SFTP_SESSION (source), result, &error);
  read->slot->done = TRUE;
  hash->inflight--;
  if (error != NULL && hash->error == NULL)
    hash->error = error;
  else if (error != NULL)
    g_error_free (error);
  g_free (read);
  hash_advance (task);
}

static void
hash_opened_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RemoteHash *hash = g_task_get_task_data (task);
  GError *error = NULL;

  hash->file = pas_sftp_session_open_file_finish (PAS_SFTP_SESSION (source), result, &error);
  if (hash->file == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  hash_advance (task);
}

void
pas_sync_hash_remote_async (PasSftpSession     *session,
                            const char         *path,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  RemoteHash *hash;

  g_return_if_fail (PAS_IS_SFTP_SESSION (session));
  g_return_if_fail (path != NULL);

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, pas_sync_hash_remote_async);
  hash = g_new0 (RemoteHash, 1);
  hash->session = session;   /* the task's source object holds it */
  hash->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_queue_init (&hash->slots);
  g_task_set_task_data (task, hash, (GDestroyNotify) remote_hash_free);
  pas_sftp_session_open_file_async (session, path, PAS_SFTP_OPEN_READ, NULL, cancellable, hash_opened_cb,
                                    g_steal_pointer (&task));
}

char *
pas_sync_hash_remote_finish (PasSftpSession *session,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, session), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pas_sync_hash_remote_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the plan ------------------------------------------------------------ */

static void
add_action (GPtrArray        *actions,
            PasSyncActionKind kind,
            PasSyncReason     reason,
            const char       *path,
            gboolean          folder,
            guint64           size)
{
  PasSyncAction *action = g_new0 (PasSyncAction, 1);

  action->kind = kind;
  action->reason = reason;
  action->path = g_strdup (path);
  action->folder = folder;
  action->size = size;
  g_ptr_array_add (actions, action);
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
sorted_paths (GHashTable *tree)
{
  GPtrArray *paths = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, tree);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (paths, key);
  g_ptr_array_sort (paths, compare_paths);
  return paths;
}

/* Whether a folder above @path is in @folders. */
static gboolean
below_any (GHashTable *folders,
           const char *path)
{
  g_autofree char *parent = g_strdup (path);
  char *slash;

  while ((slash = strrchr (parent, '/')) != NULL)
    {
      *slash = '\0';
      if (g_hash_table_contains (folders, parent))
        return TRUE;
    }
  return FALSE;
}

static int
compare_actions (gconstpointer a,
                 gconstpointer b)
{
  const PasSyncAction *x = *(PasSyncAction * const *) a;
  const PasSyncAction *y = *(PasSyncAction * const *) b;

  if (x->kind != y->kind)
    return (int) x->kind - (int) y->kind;
  return strcmp (x->path, y->path);
}

GPtrArray *
pas_sync_plan (GHashTable           *source,
               GHashTable           *destination,
               const PasSyncOptions *options,
               GHashTable           *differing,
               GPtrArray            *same_looking)
{
  GPtrArray *actions = g_ptr_array_new_with_free_func ((GDestroyNotify) pas_sync_action_free);
  g_autoptr(GPtrArray) paths = sorted_paths (source);
  g_autoptr(GHashTable) deleted = g_hash_table_new (g_str_hash, g_str_equal);   /* folders, borrowed keys */

  g_return_val_if_fail (source != NULL && destination != NULL && options != NULL, actions);

  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      const PasSyncEntry *from = g_hash_table_lookup (source, path);
      const PasSyncEntry *to = g_hash_table_lookup (destination, path);
      gboolean folder = from->type == G_FILE_TYPE_DIRECTORY;

      /* Links and devices are not copied (nor what is in their place). */
      if (from->type != G_FILE_TYPE_REGULAR && !folder)
        continue;
      if (to != NULL && below_any (deleted, path))
        to = NULL;
      /* A folder where the source has a file, holding what must stay:
       * left as it is (the copy could not take its place). */
      if (to != NULL && to->type == G_FILE_TYPE_DIRECTORY && !folder && to->holds_excluded)
        continue;
      if (to != NULL && (to->type == G_FILE_TYPE_DIRECTORY) != folder)
        {
          /* A file where a folder should be, or the reverse. */
          add_action (actions, PAS_SYNC_DELETE, PAS_SYNC_REASON_TYPE, path, to->type == G_FILE_TYPE_DIRECTORY, 0);
          if (to->type == G_FILE_TYPE_DIRECTORY)
            g_hash_table_add (deleted, (gpointer) path);
          add_action (actions, folder ? PAS_SYNC_MKDIR : PAS_SYNC_COPY, PAS_SYNC_REASON_TYPE, path, folder,
                      from->size);
          continue;
        }
      if (folder)
        {
          if (to == NULL)
            add_action (actions, PAS_SYNC_MKDIR, PAS_SYNC_REASON_NEW, path, TRUE, 0);
          continue;
        }
      if (to == NULL)
        add_action (actions, PAS_SYNC_COPY, PAS_SYNC_REASON_NEW, path, FALSE, from->size);
      else if (to->mtime > from->mtime && (to->size != from->size || to->mtime != from->mtime))
        add_action (actions, PAS_SYNC_COPY, PAS_SYNC_REASON_REPLACES_NEWER, path, FALSE, from->size);
      else if (to->size != from->size)
        add_action (actions, PAS_SYNC_COPY, PAS_SYNC_REASON_SIZE, path, FALSE, from->size);
      else if (to->mtime != from->mtime)
        add_action (actions, PAS_SYNC_COPY, PAS_SYNC_REASON_TIME, path, FALSE, from->size);
      else if (differing != NULL && g_hash_table_contains (differing, path))
        add_action (actions, PAS_SYNC_COPY, PAS_SYNC_REASON_CONTENT, path, FALSE, from->size);
      else if (options->checksum && same_looking != NULL)
        g_ptr_array_add (same_looking, g_strdup (path));
    }

  if (options->delete_extras)
    {
      g_autoptr(GPtrArray) extras = sorted_paths (destination);

      for (guint i = 0; i < extras->len; i++)
        {
          const char *path = g_ptr_array_index (extras, i);
          const PasSyncEntry *entry = g_hash_table_lookup (destination, path);

          /* Sorted: a folder comes before what it holds. */
          if (g_hash_table_contains (source, path) || below_any (deleted, path))
            continue;
          /* Not whole when it holds what is excluded: what is in it goes
           * one by one (the paths that follow). */
          if (entry->type == G_FILE_TYPE_DIRECTORY && entry->holds_excluded)
            continue;
          /* Links and special files are never a sync's to delete. */
          if (entry->type != G_FILE_TYPE_DIRECTORY && entry->type != G_FILE_TYPE_REGULAR)
            continue;
          add_action (actions, PAS_SYNC_DELETE, PAS_SYNC_REASON_EXTRA, path, entry->type == G_FILE_TYPE_DIRECTORY, 0);
          if (entry->type == G_FILE_TYPE_DIRECTORY)
            g_hash_table_add (deleted, (gpointer) path);
        }
    }
  g_ptr_array_sort (actions, compare_actions);
  return actions;
}

PasSyncMark
pas_sync_mark (const PasSyncEntry *here,
               const PasSyncEntry *there)
{
  gboolean here_folder, there_folder;

  g_return_val_if_fail (here != NULL, PAS_SYNC_MARK_ONLY_HERE);

  if (there == NULL)
    return PAS_SYNC_MARK_ONLY_HERE;
  here_folder = here->type == G_FILE_TYPE_DIRECTORY;
  there_folder = there->type == G_FILE_TYPE_DIRECTORY;
  if (here_folder != there_folder)
    return PAS_SYNC_MARK_DIFFERENT;
  if (here_folder)
    return PAS_SYNC_MARK_FOLDERS;
  if (here->mtime > there->mtime)
    return PAS_SYNC_MARK_NEWER_HERE;
  if (here->mtime < there->mtime)
    return PAS_SYNC_MARK_OLDER_HERE;
  return here->size == there->size ? PAS_SYNC_MARK_SAME : PAS_SYNC_MARK_DIFFERENT;
}
