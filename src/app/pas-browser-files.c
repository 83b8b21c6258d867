#define G_LOG_DOMAIN "pas-browser-files"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "pas-alert.h"
#include "pas-application.h"
#include "pas-browser-private.h"

/* A tab's file operations on either side and their dialogs: new folder,
 * rename (in place or in a dialog), delete (to the trash here, for good on
 * the server, asked first), and a symbolic link on the server. */

/* ---- new folder ------------------------------------------------------------- */

typedef struct
{
  PasBrowser  *self;
  PasFilePane *pane;
  char        *name;
} Op;

static Op *
op_new (PasBrowser  *self,
        PasFilePane *pane,
        const char  *name)
{
  Op *op = g_new0 (Op, 1);

  op->self = g_object_ref (self);
  op->pane = g_object_ref (pane);
  op->name = g_strdup (name);
  return op;
}

static void
op_free (Op *op)
{
  g_object_unref (op->self);
  g_object_unref (op->pane);
  g_free (op->name);
  g_free (op);
}

static void
op_done (Op           *op,
         const GError *error)
{
  if (error != NULL)
    pas_browser_report (op->self, error);
  else
    {
      pas_file_pane_reload (op->pane);
      if (op->name != NULL)
        pas_file_pane_select_after_load (op->pane, op->name);
    }
  op_free (op);
}

static void
remote_mkdir_cb (GObject      *source,
GAsyncResult *result,
gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  pas_sftp_session_mkdir_finish (PAS_SFTP_SESSION (source), result, &error);
  op_done (user_data, error);
}

static void
remote_rename_cb (GObject      *source,
GAsyncResult *result,
gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  pas_sftp_session_rename_finish (PAS_SFTP_SESSION (source), result, &error);
  op_done (user_data, error);
}

static void
remote_symlink_cb (GObject      *source,
GAsyncResult *result,
gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  pas_sftp_session_symlink_finish (PAS_SFTP_SESSION (source), result, &error);
  op_done (user_data, error);
}

static void
local_mkdir_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_file_make_directory_finish (G_FILE (source), result, &error);
  op_done (user_data, error);
}

static void
name_changed_cb (GtkEditable *entry,
                 PasAlert    *dialog)
{
  pas_alert_set_response_enabled (dialog, "create", pas_browser_name_is_valid (gtk_editable_get_text (entry)));
}

static void
new_folder_response_cb (PasAlert   *dialog,
                        const char *response,
                        Op         *op)
{
  GtkEditable *entry = GTK_EDITABLE (pas_alert_get_extra_child (dialog));
  const char *name = gtk_editable_get_text (entry);
  g_autofree char *path = NULL;

  if (g_strcmp0 (response, "create") != 0 || !pas_browser_name_is_valid (name))
    {
      op_free (op);
      return;
    }
  g_free (op->name);
  op->name = g_strdup (name);
  path = pas_file_pane_join (op->pane, pas_file_pane_get_location (op->pane), name);
  if (pas_file_pane_is_remote (op->pane))
    {
      if (op->self->sftp == NULL)
        {
          op_free (op);
          return;
        }
      pas_sftp_session_mkdir_async (op->self->sftp, path, 0777, NULL, remote_mkdir_cb, op);
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);

      g_file_make_directory_async (file, G_PRIORITY_DEFAULT, NULL, local_mkdir_cb, op);
    }
}

/* A dialog asking for a file name (the entry is its extra child); "create"
 * is offered only while the name could be one. */
static PasAlert *
name_dialog (PasBrowser *self,
             const char *heading,
             const char *body,
             const char *entry_label,
             const char *suggestion)
{
  PasAlert *dialog = pas_alert_new (GTK_WIDGET (self), heading, body);
  GtkWidget *entry = gtk_entry_new ();

  gtk_editable_set_text (GTK_EDITABLE (entry), suggestion);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, entry_label, -1);
  pas_alert_set_extra_child (dialog, entry);
  pas_alert_add_responses (dialog, "cancel", _("_Cancel"), "create", _("C_reate"), NULL);
  pas_alert_set_response_appearance (dialog, "create", ADW_RESPONSE_SUGGESTED);
  pas_alert_set_default_response (dialog, "create");
  pas_alert_set_close_response (dialog, "cancel");
  pas_alert_set_response_enabled (dialog, "create", pas_browser_name_is_valid (suggestion));
  g_signal_connect (entry, "changed", G_CALLBACK (name_changed_cb), dialog);
  pas_alert_present (dialog);
  gtk_widget_grab_focus (entry);
  return dialog;
}

static void
new_folder_action_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PasBrowser *self = PAS_BROWSER (widget);
  PasFilePane *pane = self->active_pane;
  PasAlert *dialog = name_dialog (self, _("New Folder"), NULL, _("Folder name"), "");

  g_signal_connect (dialog, "response", G_CALLBACK (new_folder_response_cb), op_new (self, pane, NULL));
}

/* ---- rename ------------------------------------------------------------------- */

static void
local_rename_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) renamed = g_file_set_display_name_finish (G_FILE (source), result, &error);

  op_done (user_data, error);
}

void
pas_browser_rename_requested_cb (PasFilePane *pane,
                                 GFileInfo   *info,
                                 const char  *name,
                                 PasBrowser  *self)
{
  g_autofree char *from = pas_file_pane_get_info_path (pane, info);

  if (!pas_browser_name_is_valid (name))
    {
      /* Translators: %s is what was typed as a new file name */
      g_autofree char *text = g_strdup_printf (_("“%s” cannot be a file name."), name);
      pas_browser_toast (self, text);
      return;
    }
  if (pas_file_pane_is_remote (pane))
    {
      g_autofree char *folder = g_path_get_dirname (from);
      g_autofree char *to = pas_file_pane_join (pane, folder, name);

      if (self->sftp == NULL)
        return;
      /* Never over an existing file: that takes a delete first, on purpose. */
      pas_sftp_session_rename_async (self->sftp, from, to, FALSE, NULL, remote_rename_cb, op_new (self, pane, name));
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_path (from);

      g_file_set_display_name_async (file, name, G_PRIORITY_DEFAULT, NULL, local_rename_cb,
                                     op_new (self, pane, name));
    }
}

static void
rename_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  pas_file_pane_start_rename (PAS_BROWSER (widget)->active_pane);
}

/* ---- delete ------------------------------------------------------------------- */

typedef struct
{
  PasBrowser  *self;
  PasFilePane *pane;
  guint        left;
  GError      *error;   /* the first */
} Removal;

static void
removal_step_done (Removal *removal,
                   GError  *error)
{
  if (error != NULL && removal->error == NULL)
    removal->error = error;
  else
    g_clear_error (&error);
  if (--removal->left > 0)
    return;
  if (removal->error != NULL)
    pas_browser_report (removal->self, removal->error);
  if (!pas_file_pane_is_remote (removal->pane) || removal->self->state == PAS_BROWSER_CONNECTED)
    pas_file_pane_reload (removal->pane);
  g_clear_error (&removal->error);
  g_object_unref (removal->self);
  g_object_unref (removal->pane);
  g_free (removal);
}

static void
remote_remove_cb (GObject      *source,
GAsyncResult *result,
gpointer      user_data)
{
  GError *error = NULL;

  pas_sftp_session_remove_finish (PAS_SFTP_SESSION (source), result, &error);
  removal_step_done (user_data, error);
}

static void
remote_remove_tree_cb (GObject      *source,
GAsyncResult *result,
gpointer      user_data)
{
  GError *error = NULL;

  pas_sftp_session_remove_tree_finish (PAS_SFTP_SESSION (source), result, &error);
  removal_step_done (user_data, error);
}

static void
local_trashed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GError *error = NULL;

  g_file_trash_finish (G_FILE (source), result, &error);
  removal_step_done (user_data, error);
}

/* Deletes, or trashes, what was selected in @pane. */
static void
delete_infos (PasBrowser  *self,
              PasFilePane *pane,
              GPtrArray   *infos)
{
  Removal *removal;

  if (infos->len == 0 || (pas_file_pane_is_remote (pane) && self->sftp == NULL))
    return;

  removal = g_new0 (Removal, 1);
  removal->self = g_object_ref (self);
  removal->pane = g_object_ref (pane);
  removal->left = infos->len;
  for (guint i = 0; i < infos->len; i++)
    {
      GFileInfo *info = g_ptr_array_index (infos, i);
      g_autofree char *path = pas_file_pane_get_info_path (pane, info);

      if (!pas_file_pane_is_remote (pane))
        {
          g_autoptr(GFile) file = g_file_new_for_path (path);
          g_file_trash_async (file, G_PRIORITY_DEFAULT, NULL, local_trashed_cb, removal);
        }
      /* A link is removed, never followed into. */
      else if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY && !g_file_info_get_is_symlink (info))
        pas_sftp_session_remove_tree_async (self->sftp, path, NULL, remote_remove_tree_cb, removal);
      else
        pas_sftp_session_remove_async (self->sftp, path, NULL, remote_remove_cb, removal);
    }
}

static void
delete_response_cb (PasAlert   *dialog,
                    const char *response,
                    gpointer    user_data)
{
  g_autoptr(GPtrArray) infos = user_data;

  if (g_strcmp0 (response, "delete") == 0)
    delete_infos (g_object_get_data (G_OBJECT (dialog), "pas-browser"),
                  g_object_get_data (G_OBJECT (dialog), "pas-pane"), infos);
}

static void
delete_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PasBrowser *self = PAS_BROWSER (widget);
  PasFilePane *pane = self->active_pane;
  g_autoptr(GPtrArray) infos = pas_file_pane_get_selected (pane);
  gboolean remote = pas_file_pane_is_remote (pane);
  g_autofree char *body = NULL;
  PasAlert *dialog;

  if (infos->len == 0)
    return;
  if (!g_settings_get_boolean (self->settings, "confirm-delete"))
    {
      /* Asked not to ask. */
      delete_infos (self, pane, infos);
      return;
    }
  /* The names go in the body: a heading must fit on one line (pas-alert.h). */
  if (infos->len == 1)
    /* Translators: %s is a file or folder name */
    {
      GFileInfo *info = g_ptr_array_index (infos, 0);
      gboolean folder = g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY;

      body = g_strdup_printf (!remote ? _("“%s” will be moved to the trash.")
                              : folder ? _("The folder “%s” will be deleted with everything in it. "
                                           "This cannot be undone.")
                              : _("“%s” will be deleted. This cannot be undone."),
                              g_file_info_get_display_name (info));
    }
  else
    body = g_strdup_printf (remote ? g_dngettext (GETTEXT_PACKAGE,
                                                  "%u item will be deleted, folders with everything in them. "
                                                  "This cannot be undone.",
                                                  "%u items will be deleted, folders with everything in them. "
                                                  "This cannot be undone.", infos->len)
                                   : g_dngettext (GETTEXT_PACKAGE, "%u item will be moved to the trash.",
                                                  "%u items will be moved to the trash.", infos->len),
                            infos->len);
  dialog = pas_alert_new (GTK_WIDGET (self), remote ? _("Delete From the Server?") : _("Move to the Trash?"), body);
  pas_alert_add_responses (dialog, "cancel", _("_Cancel"),
                                    "delete", remote ? _("_Delete") : _("_Move to Trash"), NULL);
  pas_alert_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  pas_alert_set_default_response (dialog, "cancel");
  pas_alert_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "pas-browser", g_object_ref (self), g_object_unref);
  g_object_set_data_full (G_OBJECT (dialog), "pas-pane", g_object_ref (pane), g_object_unref);
  g_signal_connect (dialog, "response", G_CALLBACK (delete_response_cb), g_steal_pointer (&infos));
  pas_alert_present (dialog);
}

/* ---- symlink ---------------------------------------------------------------------- */

static void
symlink_response_cb (PasAlert   *dialog,
                     const char *response,
                     Op         *op)
{
  GtkEditable *entry = GTK_EDITABLE (pas_alert_get_extra_child (dialog));
  const char *name = gtk_editable_get_text (entry);
  g_autofree char *link_path = NULL;

  if (g_strcmp0 (response, "create") != 0 || !pas_browser_name_is_valid (name) || op->self->sftp == NULL)
    {
      op_free (op);
      return;
    }
  link_path = pas_file_pane_join (op->pane, pas_file_pane_get_location (op->pane), name);
  /* op->name holds the target until the request is sent; then what to select. */
  pas_sftp_session_symlink_async (op->self->sftp, link_path, op->name, NULL, remote_symlink_cb, op);
  g_free (op->name);
  op->name = g_strdup (name);
}

static void
create_symlink_action_cb (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  PasBrowser *self = PAS_BROWSER (widget);
  g_autoptr(GPtrArray) infos = pas_file_pane_get_selected (self->remote_pane);
  GFileInfo *info;
  g_autofree char *target = NULL;
  g_autofree char *body = NULL;
  g_autofree char *suggestion = NULL;
  PasAlert *dialog;
  Op *op;

  if (infos->len != 1)
    return;
  info = g_ptr_array_index (infos, 0);
  target = pas_file_pane_get_info_path (self->remote_pane, info);
  /* Translators: %s is the path a new symbolic link points to */
  body = g_strdup_printf (_("The link will point to %s."), target);
  /* Translators: the suggested name of a new link to a file called %s */
  suggestion = g_strdup_printf (_("Link to %s"), g_file_info_get_name (info));
  dialog = name_dialog (self, _("New Symbolic Link"), body, _("Link name"), suggestion);
  op = op_new (self, self->remote_pane, target);
  g_signal_connect (dialog, "response", G_CALLBACK (symlink_response_cb), op);
}

void
pas_browser_class_init_files (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "browser.new-folder", NULL, new_folder_action_cb);
  gtk_widget_class_install_action (widget_class, "browser.rename", NULL, rename_action_cb);
  gtk_widget_class_install_action (widget_class, "browser.delete", NULL, delete_action_cb);
  gtk_widget_class_install_action (widget_class, "browser.create-symlink", NULL, create_symlink_action_cb);
  /* Menus show the binding added last: F7, as the shortcuts window does. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "browser.new-folder", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F7, 0, "browser.new-folder", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "browser.rename", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "browser.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "browser.delete", NULL);
}
