#define G_LOG_DOMAIN "pas-browser-actions"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "pas-browser-private.h"
#include "pas-command-dialog.h"
#include "pas-sync-dialog.h"
#include "pas-opened-file.h"
#include "pas-properties-dialog.h"
#include "pas-remote-drag.h"
#include "pas-address-dialog.h"
#include "pas-alert.h"
#include "pas-connection-details.h"
#include "pas-application.h"
#include "pas-session-editor.h"

/* ---- helpers -------------------------------------------------------------- */

PasFilePane *
pas_browser_other_pane (PasBrowser  *self,
                        PasFilePane *pane)
{
  return pane == self->local_pane ? self->remote_pane : self->local_pane;
}

GtkWindow *
pas_browser_parent_window (PasBrowser *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

gboolean
pas_browser_name_is_valid (const char *name)
{
  return name[0] != '\0' && strchr (name, '/') == NULL &&
         strcmp (name, ".") != 0 && strcmp (name, "..") != 0;
}

void
pas_browser_update_actions (PasBrowser *self)
{
  gboolean connected = self->state == PAS_BROWSER_CONNECTED;
  gboolean remote_active = self->active_pane == self->remote_pane;
  g_autoptr(GPtrArray) selected = self->active_pane != NULL ? pas_file_pane_get_selected (self->active_pane) : NULL;
  guint n = selected != NULL ? selected->len : 0;
  gboolean usable = connected || !remote_active;

  /* Each from its own side: the remote pane's menu offers no Upload. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.upload", connected && !remote_active);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.download", connected && remote_active);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.transfer", connected && n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.new-folder", usable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.rename", usable && n == 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.delete", usable && n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.properties", usable && n == 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.copy-path", n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.create-symlink", connected && remote_active && n == 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.run-command", connected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.synchronize", connected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.details", connected);
}

static void
selection_changed_cb (PasBrowser *self)
{
  pas_browser_update_actions (self);
}

/* ---- transfers ------------------------------------------------------------ */

/* Any tab of the server, whoever queued it (also items restored from an
 * earlier run): a finished, failed or cancelled item changed the folder it
 * wrote into (a new file, a .filepart gone). */
void
pas_browser_transfer_ended_cb (PasTransferQueue *queue,
                               PasTransfer      *transfer,
                               const char       *server,
                               PasBrowser       *self)
{
  g_auto(GStrv) listed = pas_transfer_dup_files (transfer);
  g_autofree char *folder = NULL;
  g_autofree char *below = NULL;
  const char *target;
  const char *location;
  PasFilePane *pane;

  if (g_strcmp0 (server, self->server_key) != 0)
    return;
  if (pas_transfer_get_direction (transfer) == PAS_TRANSFER_UPLOAD)
    {
      if (self->state != PAS_BROWSER_CONNECTED)
        return;
      pane = self->remote_pane;
      target = pas_transfer_get_remote_path (transfer);
    }
  else
    {
      pane = self->local_pane;
      target = g_file_peek_path (pas_transfer_get_local (transfer));
    }
  /* What it wrote: beside its target (a file, a folder copied whole), or
   * inside it (a sync's list, a folder's contents). */
  folder = listed != NULL ? g_strdup (target) : g_path_get_dirname (target);
  below = g_str_has_suffix (target, "/") ? g_strdup (target) : g_strconcat (target, "/", NULL);
  location = pas_file_pane_get_location (pane);
  if (location != NULL && (g_str_equal (location, folder) || g_str_has_prefix (location, below)))
    pas_file_pane_reload (pane);
}

/* Failures are said in the tab that queued the transfer. */
static void
transfer_state_cb (PasTransfer *transfer,
                   GParamSpec  *pspec,
                   GWeakRef    *ref)
{
  g_autoptr(PasBrowser) self = g_weak_ref_get (ref);

  if (self != NULL && pas_transfer_get_state (transfer) == PAS_TRANSFER_FAILED &&
      pas_transfer_get_error (transfer) != NULL)
    pas_browser_report (self, pas_transfer_get_error (transfer));
}

static void
weak_ref_free (gpointer  data,
               GClosure *closure)
{
  g_weak_ref_clear (data);
  g_free (data);
}

/* The preference, in the schema's order: ask, overwrite, skip, resume, rename, newer. */
static PasConflictPolicy
conflict_policy (PasBrowser *self)
{
  static const PasConflictPolicy policies[] = {
    PAS_CONFLICT_ASK, PAS_CONFLICT_OVERWRITE, PAS_CONFLICT_SKIP,
    PAS_CONFLICT_RESUME, PAS_CONFLICT_RENAME, PAS_CONFLICT_NEWER,
  };
  guint i = (guint) g_settings_get_enum (self->settings, "conflict-policy");

  return i < G_N_ELEMENTS (policies) ? policies[i] : PAS_CONFLICT_ASK;
}

/* @size: what the listing showed for a file, or -1 (a folder, a drop). */
static void
queue_transfer (PasBrowser          *self,
                PasTransferDirection direction,
                const char          *remote_path,
                GFile               *local,
                gboolean             recursive,
                gint64               size)
{
  g_autoptr(PasTransfer) transfer = pas_transfer_new (direction, remote_path, local);
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  pas_transfer_set_recursive (transfer, recursive);
  pas_transfer_set_expected_size (transfer, size);
  pas_transfer_set_conflict_policy (transfer, conflict_policy (self));
  pas_transfer_set_interaction (transfer, PAS_INTERACTION (self->interaction));

  g_weak_ref_init (ref, self);
  g_signal_connect_data (transfer, "notify::state", G_CALLBACK (transfer_state_cb), ref, weak_ref_free, 0);

  pas_transfer_queue_add (self->queue, transfer, self->server_key);
}

static void
upload_file (PasBrowser *self,
             GFile      *file,
             const char *folder,
             gint64      size)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *target = NULL;

  if (name == NULL || !pas_browser_name_is_valid (name))
    return;
  target = pas_file_pane_join (self->remote_pane, folder, name);
  /* Recursive whatever it is: a file is copied as itself, and finding
   * out which it is would be a stat on this thread. */
  queue_transfer (self, PAS_TRANSFER_UPLOAD, target, file, TRUE, size);
}

/* Uploads @files (GFile) into the remote @folder. */
static void
upload_files (PasBrowser *self,
              GPtrArray  *files,
              const char *folder)
{
  for (guint i = 0; i < files->len; i++)
    upload_file (self, g_ptr_array_index (files, i), folder, -1);
}

/* A file's size as its pane listed it, or -1 (a folder, or not listed). */
static gint64
listed_size (GFileInfo *info)
{
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR ||
      !g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
    return -1;
  return g_file_info_get_size (info);
}

static void
download_infos (PasBrowser *self,
                GPtrArray  *infos,
                const char *folder)
{
  for (guint i = 0; i < infos->len; i++)
    {
      GFileInfo *info = g_ptr_array_index (infos, i);
      const char *name = g_file_info_get_name (info);
      g_autofree char *local_path = NULL;
      g_autoptr(GFile) local = NULL;

      /* The listing only keeps safe names; check again before touching the disk. */
      if (!pas_browser_name_is_valid (name))
        continue;
      local_path = g_build_filename (folder, name, NULL);
      local = g_file_new_for_path (local_path);
      queue_transfer (self, PAS_TRANSFER_DOWNLOAD,
                      g_file_info_get_attribute_string (info, PAS_FILE_ATTRIBUTE_PATH), local,
                      g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY, listed_size (info));
    }
}

static void
upload_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PasBrowser *self = PAS_BROWSER (widget);
  g_autoptr(GPtrArray) infos = pas_file_pane_get_selected (self->local_pane);

  for (guint i = 0; i < infos->len; i++)
    {
      GFileInfo *info = g_ptr_array_index (infos, i);
      g_autofree char *path = pas_file_pane_get_info_path (self->local_pane, info);
      g_autoptr(GFile) file = NULL;

      if (path == NULL)
        continue;
      file = g_file_new_for_path (path);
      upload_file (self, file, pas_file_pane_get_location (self->remote_pane), listed_size (info));
    }
}

static void
download_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PasBrowser *self = PAS_BROWSER (widget);
  g_autoptr(GPtrArray) infos = pas_file_pane_get_selected (self->remote_pane);

  download_infos (self, infos, pas_file_pane_get_location (self->local_pane));
}

static void
transfer_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PasBrowser *self = PAS_BROWSER (widget);

  if (self->active_pane == self->local_pane)
    upload_action_cb (widget, action_name, parameter);
  else
    download_action_cb (widget, action_name, parameter);
}

static gboolean
drop_local_cb (PasFilePane *pane,
               GSList      *list,
               const char  *folder,
               PasBrowser  *self)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  if (self->state != PAS_BROWSER_CONNECTED)
    return FALSE;
  for (GSList *l = list; l != NULL; l = l->next)
    if (g_file_is_native (l->data))
      g_ptr_array_add (files, g_object_ref (l->data));
  if (files->len == 0)
    return FALSE;
  upload_files (self, files, folder);
  return TRUE;
}

static gboolean
drop_remote_cb (PasFilePane        *pane,
                PasRemoteSelection *selection,
                const char         *folder,
                PasBrowser         *self)
{
  g_autoptr(PasFilePane) from = pas_remote_selection_get_pane (selection);

  /* Only from this tab's server: another tab's paths mean another server. */
  if (from != self->remote_pane || self->state != PAS_BROWSER_CONNECTED)
    return FALSE;
  download_infos (self, pas_remote_selection_get_infos (selection), folder);
  return TRUE;
}

static GdkContentProvider *
drag_out_cb (GPtrArray *infos,
             gpointer   user_data)
{
  PasBrowser *self = user_data;

  return pas_remote_drag_new (self->queue, self->server_key, infos);
}

/* ---- opening files ----------------------------------------------------------- */

static void
launch_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PasBrowser) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    pas_browser_report (self, error);
}

static void
open_local (PasBrowser *self,
            const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);

  g_app_info_launch_default_for_uri_async (uri, NULL, NULL, launch_cb, g_object_ref (self));
}

static void
local_file_activated_cb (PasFilePane *pane,
                         GFileInfo   *info,
                         PasBrowser  *self)
{
  g_autofree char *path = pas_file_pane_get_info_path (pane, info);

  if (path != NULL)
    open_local (self, path);
}

static void
upload_changes_response_cb (PasAlert      *dialog,
                            const char    *response,
                            PasOpenedFile *opened)
{
  if (g_strcmp0 (response, "upload") == 0)
    pas_opened_file_upload (opened);
}

/* The local copy of an opened remote file was saved: ask before it replaces
 * the server's file (someone else may have changed that one meanwhile). */
static void
opened_changed_cb (PasOpenedFile *opened,
                   PasBrowser    *self)
{
  /* Translators: a remote path, then a server */
  g_autofree char *body = g_strdup_printf (_("The copy of %s opened from %s was saved. Uploading it "
                                             "replaces the file on the server."),
                                           pas_opened_file_get_remote_path (opened), self->title);
  PasAlert *dialog = pas_alert_new (GTK_WIDGET (self), _("Upload Changes?"), body);

  pas_alert_add_responses (dialog, "keep", _("_Don’t Upload"), "upload", _("_Upload"), NULL);
  pas_alert_set_response_appearance (dialog, "upload", ADW_RESPONSE_SUGGESTED);
  pas_alert_set_default_response (dialog, "upload");
  pas_alert_set_close_response (dialog, "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (upload_changes_response_cb), opened, 0);
  pas_alert_present (dialog);
}

static void
opened_uploaded_cb (PasOpenedFile *opened,
                    PasBrowser    *self)
{
  g_autofree char *folder = g_path_get_dirname (pas_opened_file_get_remote_path (opened));

  if (self->state == PAS_BROWSER_CONNECTED &&
      g_strcmp0 (pas_file_pane_get_location (self->remote_pane), folder) == 0)
    pas_file_pane_reload (self->remote_pane);
}

static void
opened_failed_cb (PasOpenedFile *opened,
                  const GError  *error,
                  PasBrowser    *self)
{
  pas_browser_report (self, error);
}

/* Double-click on a remote file: open it in its local application (WinSCP's
 * habit); F5 or a drag copies it instead. */
static void
remote_file_activated_cb (PasFilePane *pane,
                          GFileInfo   *info,
                          PasBrowser  *self)
{
  const char *path = g_file_info_get_attribute_string (info, PAS_FILE_ATTRIBUTE_PATH);
  PasOpenedFile *opened;

  if (self->state != PAS_BROWSER_CONNECTED || path == NULL)
    return;
  opened = pas_opened_file_new (self->queue, self->server_key, path);
  g_ptr_array_add (self->opened, opened);
  g_signal_connect_object (opened, "changed", G_CALLBACK (opened_changed_cb), self, 0);
  g_signal_connect_object (opened, "failed", G_CALLBACK (opened_failed_cb), self, 0);
  g_signal_connect_object (opened, "uploaded", G_CALLBACK (opened_uploaded_cb), self, 0);
  pas_opened_file_start (opened);
}

/* ---- other actions ---------------------------------------------------------------- */

static void
copy_path_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PasBrowser *self = PAS_BROWSER (widget);
  g_autoptr(GPtrArray) infos = pas_file_pane_get_selected (self->active_pane);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < infos->len; i++)
    {
      g_autofree char *path = pas_file_pane_get_info_path (self->active_pane, g_ptr_array_index (infos, i));

      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, path);
    }
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text->str);
}

static void
properties_applied_cb (PasPropertiesDialog *dialog,
                       const GError        *error,
                       PasBrowser          *self)
{
  PasFilePane *pane = g_object_get_data (G_OBJECT (dialog), "pas-pane");

  if (error != NULL)
    pas_browser_report (self, error);
  else
    pas_file_pane_reload (pane);
}

static void
properties_action_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PasBrowser *self = PAS_BROWSER (widget);
  g_autoptr(GPtrArray) infos = pas_file_pane_get_selected (self->active_pane);
  gboolean remote = pas_file_pane_is_remote (self->active_pane);
  g_autofree char *path = NULL;
  PasPropertiesDialog *dialog;

  if (infos->len != 1 || (remote && self->sftp == NULL))
    return;
  path = pas_file_pane_get_info_path (self->active_pane, g_ptr_array_index (infos, 0));
  dialog = pas_properties_dialog_new (GTK_WIDGET (self), g_ptr_array_index (infos, 0), path,
                                      remote ? self->sftp : NULL);
  g_object_set_data_full (G_OBJECT (dialog), "pas-pane", g_object_ref (self->active_pane), g_object_unref);
  g_signal_connect_object (dialog, "applied", G_CALLBACK (properties_applied_cb), self, 0);
  pas_properties_dialog_present (dialog);
}

static void
details_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PasBrowser *self = PAS_BROWSER (widget);

  PasConnection *connection = pas_browser_get_connection (self);

  if (connection != NULL)
    pas_connection_details_present (widget, self->title, connection);
}

static void
run_command_action_cb (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PasBrowser *self = PAS_BROWSER (widget);

  if (pas_browser_get_connection (self) == NULL)
    return;
  gtk_window_present (GTK_WINDOW (pas_command_dialog_new (pas_browser_parent_window (self),
                                                          pas_browser_get_connection (self),
                                                          pas_server_get_key (pas_browser_get_server (self)),
                                                          self->title)));
}

/* The sync's copies ended: said once, as the start was. */
static void
sync_copies_state_cb (PasTransfer *copies,
                      GParamSpec  *pspec,
                      PasBrowser  *self)
{
  PasTransferState state = pas_transfer_get_state (copies);
  g_autofree char *text = NULL;

  if (state == PAS_TRANSFER_DONE)
    {
      guint copied = pas_transfer_get_files_done (copies);

      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Folders synchronized: %u file copied",
                                           "Folders synchronized: %u files copied", copied), copied);
    }
  else if (state == PAS_TRANSFER_FAILED)
    /* Translators: %s says why, e.g. "2 items could not be copied" */
    text = g_strdup_printf (_("Synchronizing did not finish: %s"),
                            pas_transfer_get_error (copies) != NULL ? pas_transfer_get_error (copies)->message : "");
  else
    return;
  g_signal_handlers_disconnect_by_func (copies, sync_copies_state_cb, self);
  /* The end replaces the start, if that is still shown or waiting. */
  if (self->sync_toast != NULL)
    adw_toast_dismiss (self->sync_toast);
  pas_browser_toast (self, text);
}

static void
sync_started_cb (PasSyncDialog      *dialog,
                 guint               queued,
                 const char * const *failures,
                 PasTransfer        *copies,
                 PasBrowser         *self)
{
  g_autofree char *text = NULL;
  guint n_failures = g_strv_length ((char **) failures);

  if (n_failures > 0)
    /* Translators: the first of the synchronization's failures, and how many there were */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Synchronizing: %s (%u problem)",
                                         "Synchronizing: %s (%u problems)", n_failures), failures[0], n_failures);
  else if (queued > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Synchronizing: %u file to copy",
                                         "Synchronizing: %u files to copy", queued), queued);
  else
    text = g_strdup (_("Folders synchronized"));
  if (self->sync_toast != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->sync_toast), (gpointer *) &self->sync_toast);
  self->sync_toast = pas_browser_toast (self, text);
  if (self->sync_toast != NULL)
    g_object_add_weak_pointer (G_OBJECT (self->sync_toast), (gpointer *) &self->sync_toast);
  if (copies != NULL)
    g_signal_connect_object (copies, "notify::state", G_CALLBACK (sync_copies_state_cb), self, 0);
  /* Deletions and new folders show now; copies as they end. */
  pas_file_pane_reload (self->local_pane);
  pas_file_pane_reload (self->remote_pane);
}

static void
sync_dialog_destroyed_cb (PasBrowser *self)
{
  if (self->active_pane != NULL)
    pas_file_pane_focus_list (self->active_pane);
}

/* The two folders shown, one made like the other. */
static void
synchronize_action_cb (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PasBrowser *self = PAS_BROWSER (widget);
  const char *local = pas_file_pane_get_location (self->local_pane);
  const char *remote = pas_file_pane_get_location (self->remote_pane);
  PasSyncDialog *dialog;

  if (self->sftp == NULL || local == NULL || remote == NULL)
    return;
  dialog = pas_sync_dialog_new (pas_browser_parent_window (self), self->sftp, self->queue,
                                pas_server_get_key (pas_browser_get_server (self)), local, remote);
  g_signal_connect_object (dialog, "started", G_CALLBACK (sync_started_cb), self, 0);
  /* Back to the list, not to the menu button that opened the menu. */
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (sync_dialog_destroyed_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
switch_pane_action_cb (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PasBrowser *self = PAS_BROWSER (widget);

  pas_file_pane_focus_list (pas_browser_other_pane (self, self->active_pane));
}

static void
disconnect_action_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  pas_browser_disconnect (PAS_BROWSER (widget));
}

/* ---- editing what the tab connects to ------------------------------------ */

static PasSession *
stored_session (PasSession *copy)
{
  GApplication *app = g_application_get_default ();
  GListModel *store;

  if (!PAS_IS_APPLICATION (app))
    return NULL;
  store = G_LIST_MODEL (pas_application_get_session_store (PAS_APPLICATION (app), NULL));
  for (guint i = 0; i < g_list_model_get_n_items (store); i++)
    {
      g_autoptr(PasSession) session = g_list_model_get_item (store, i);

      if (g_strcmp0 (pas_session_get_id (session), pas_session_get_id (copy)) == 0)
        return session;
    }
  return NULL;
}

/* Saved in the sessions file (the session may have been deleted since the
 * tab opened: then only the tab changes), and tried again at once. */
static void
store_saved_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(PasBrowser) self = data;
  g_autoptr(GError) error = NULL;

  if (!pas_session_store_save_finish (PAS_SESSION_STORE (object), result, &error))
    pas_browser_toast (self, error->message);
}

static void
session_saved_cb (PasSessionEditor *editor,
                  PasSession       *edited,
                  PasBrowser       *self)
{
  PasSession *original = stored_session (self->session);
  GApplication *app = g_application_get_default ();

  if (original != NULL)
    {
      pas_session_assign (original, edited);
      pas_session_store_save_async (pas_application_get_session_store (PAS_APPLICATION (app), NULL), NULL,
                                    store_saved_cb, g_object_ref (self));
    }
  pas_browser_set_session (self, edited);
  pas_browser_connect (self);
}

static void
address_edited_cb (PasAlert   *dialog,
                   const char *response,
                   PasBrowser *self)
{
  GtkEditable *entry = GTK_EDITABLE (pas_alert_get_extra_child (dialog));
  g_autoptr(GError) error = NULL;
  g_autoptr(PasAddress) address = NULL;

  if (g_strcmp0 (response, "connect") != 0)
    return;
  address = pas_address_parse (gtk_editable_get_text (entry), &error);
  if (address == NULL)
    {
      pas_browser_toast (self, error->message);
      return;
    }
  pas_browser_set_address (self, address);
  pas_browser_connect (self);
}

/* A failed tab's "Edit": its saved session in the editor, or its address
 * in the address dialog; either way this tab connects again. */
static void
edit_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PasBrowser *self = PAS_BROWSER (widget);
  GtkWindow *window = GTK_WINDOW (gtk_widget_get_root (widget));

  if (self->session != NULL)
    {
      PasSession *original = stored_session (self->session);
      PasSessionEditor *editor = pas_session_editor_new (window, original != NULL ? original : self->session, FALSE);

      g_signal_connect_object (editor, "saved", G_CALLBACK (session_saved_cb), self, 0);
      gtk_window_present (GTK_WINDOW (editor));
    }
  else
    {
      PasAlert *dialog = pas_address_dialog_new (widget, _("Edit the Address"),
                                                 _("An address such as user@example.com, user@example.com:2222, "
                                                   "a host from ~/.ssh/config or a saved session’s name."),
                                                 self->title);

      g_signal_connect_object (dialog, "response", G_CALLBACK (address_edited_cb), self, 0);
      pas_alert_present (dialog);
      gtk_widget_grab_focus (pas_alert_get_extra_child (dialog));
    }
}

static void
reconnect_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  pas_browser_connect (PAS_BROWSER (widget));
}

void
pas_browser_class_init_actions (GtkWidgetClass *widget_class)
{
  pas_browser_class_init_files (widget_class);
  gtk_widget_class_install_action (widget_class, "browser.upload", NULL, upload_action_cb);
  gtk_widget_class_install_action (widget_class, "browser.download", NULL, download_action_cb);
  gtk_widget_class_install_action (widget_class, "browser.transfer", NULL, transfer_action_cb);
  gtk_widget_class_install_action (widget_class, "browser.copy-path", NULL, copy_path_action_cb);
  gtk_widget_class_install_action (widget_class, "browser.properties", NULL, properties_action_cb);
  gtk_widget_class_install_action (widget_class, "browser.switch-pane", NULL, switch_pane_action_cb);
  gtk_widget_class_install_action (widget_class, "browser.run-command", NULL, run_command_action_cb);
  gtk_widget_class_install_action (widget_class, "browser.synchronize", NULL, synchronize_action_cb);
  gtk_widget_class_install_property_action (widget_class, "browser.follow-folders", "follow-folders");
  gtk_widget_class_install_property_action (widget_class, "browser.compare", "compare");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_y, GDK_CONTROL_MASK, "browser.follow-folders", NULL);
  gtk_widget_class_install_action (widget_class, "browser.details", NULL, details_action_cb);
  gtk_widget_class_install_action (widget_class, "browser.disconnect", NULL, disconnect_action_cb);
  gtk_widget_class_install_action (widget_class, "browser.reconnect", NULL, reconnect_action_cb);
  gtk_widget_class_install_action (widget_class, "browser.edit", NULL, edit_action_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "browser.transfer", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "browser.copy-path", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_ALT_MASK, "browser.properties", NULL);
}

void
pas_browser_init_actions (PasBrowser *self)
{
  for (guint i = 0; i < 2; i++)
    {
      PasFilePane *pane = i == 0 ? self->local_pane : self->remote_pane;

      g_signal_connect_object (pane, "selection-changed", G_CALLBACK (selection_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (pane, "rename-requested", G_CALLBACK (pas_browser_rename_requested_cb), self, 0);
      g_signal_connect_object (pane, "load-failed", G_CALLBACK (pas_browser_report), self, G_CONNECT_SWAPPED);
    }
  g_signal_connect_object (self->remote_pane, "drop-local", G_CALLBACK (drop_local_cb), self, 0);
  pas_file_pane_set_drag_out_func (self->remote_pane, drag_out_cb, self);
  g_signal_connect_object (self->local_pane, "drop-remote", G_CALLBACK (drop_remote_cb), self, 0);
  g_signal_connect_object (self->local_pane, "file-activated", G_CALLBACK (local_file_activated_cb), self, 0);
  g_signal_connect_object (self->remote_pane, "file-activated", G_CALLBACK (remote_file_activated_cb), self, 0);
  pas_browser_update_actions (self);
}
