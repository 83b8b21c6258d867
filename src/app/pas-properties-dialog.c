#define G_LOG_DOMAIN "pas-properties-dialog"

#include "config.h"

#include <stdlib.h>
#include <glib/gi18n.h>

#include "pas-properties-dialog.h"
#include "pas-alert.h"

struct _PasPropertiesDialog
{
  AdwBin            parent_instance;

  PasAlert         *alert;         /* its parent, which owns it */
  char             *path;
  PasSftpSession   *sftp;          /* NULL: a local file */
  guint32           original_mode;
  guint32           special;       /* setuid, setgid, sticky: as last typed, else as they were */
  gboolean          applicable;    /* the file has permissions to change */
  gboolean          syncing;

  /* Template widgets */
  GtkLabel         *type_value;
  GtkLabel         *location_value;
  GtkLabel         *size_value;
  GtkLabel         *modified_value;
  GtkLabel         *owner_value;
  GtkCheckButton   *bits[9];       /* owner rwx, group rwx, others rwx: bit0…bit8 */
  GtkEntry         *octal;
  GtkLabel         *permissions_note;
};

enum {
  SIGNAL_APPLIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (PasPropertiesDialog, pas_properties_dialog, ADW_TYPE_BIN)

/* Whether the octal entry holds a mode: marked when not, and Apply with it. */
static void
set_valid (PasPropertiesDialog *self,
           gboolean             valid)
{
  if (valid)
    gtk_widget_remove_css_class (GTK_WIDGET (self->octal), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->octal), "error");
  /* NULL while the dialog is being made. */
  if (self->alert != NULL)
    pas_alert_set_response_enabled (self->alert, "apply", valid && self->applicable);
}

guint32
pas_properties_dialog_get_mode (PasPropertiesDialog *self)
{
  guint32 mode;

  g_return_val_if_fail (PAS_IS_PROPERTIES_DIALOG (self), 0);

  /* The boxes have no setuid, setgid or sticky: the octal entry says them. */
  mode = self->special;
  for (int i = 0; i < 9; i++)
    if (gtk_check_button_get_active (self->bits[i]))
      mode |= 0400u >> i;
  return mode;
}

void
pas_properties_dialog_set_mode (PasPropertiesDialog *self,
                                guint32              mode)
{
  g_autofree char *text = g_strdup_printf ("%04o", mode & 07777);

  g_return_if_fail (PAS_IS_PROPERTIES_DIALOG (self));

  self->special = mode & 07000;
  self->syncing = TRUE;
  for (int i = 0; i < 9; i++)
    gtk_check_button_set_active (self->bits[i], (mode & (0400u >> i)) != 0);
  gtk_editable_set_text (GTK_EDITABLE (self->octal), text);
  self->syncing = FALSE;
  set_valid (self, TRUE);
}

static void
bit_toggled_cb (GtkCheckButton      *button,
                PasPropertiesDialog *self)
{
  g_autofree char *text = NULL;

  if (self->syncing)
    return;
  text = g_strdup_printf ("%04o", pas_properties_dialog_get_mode (self));
  self->syncing = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->octal), text);
  self->syncing = FALSE;
  /* A box clicked after a mistyped mode: the entry is a mode again. */
  set_valid (self, TRUE);
}

static void
octal_changed_cb (GtkEditable         *entry,
                  PasPropertiesDialog *self)
{
  const char *text = gtk_editable_get_text (entry);
  char *end = NULL;
  gulong mode;

  if (self->syncing)
    return;
  mode = strtoul (text, &end, 8);
  if (text[0] == '\0' || *end != '\0' || mode > 07777)
    {
      set_valid (self, FALSE);
      return;
    }
  set_valid (self, TRUE);
  self->special = mode & 07000;
  self->syncing = TRUE;
  for (int i = 0; i < 9; i++)
    gtk_check_button_set_active (self->bits[i], (mode & (0400u >> i)) != 0);
  self->syncing = FALSE;
}

static void
applied (PasPropertiesDialog *self,
         const GError        *error)
{
  g_signal_emit (self, signals[SIGNAL_APPLIED], 0, error);
}

static void
remote_chmod_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PasPropertiesDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  pas_sftp_session_setstat_finish (PAS_SFTP_SESSION (source), result, &error);
  applied (self, error);
}

static void
local_chmod_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PasPropertiesDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  g_file_set_attributes_finish (G_FILE (source), result, NULL, &error);
  applied (self, error);
}

static void
response_cb (PasAlert            *alert,
             const char          *response,
             PasPropertiesDialog *self)
{
  guint32 mode = pas_properties_dialog_get_mode (self);

  if (g_strcmp0 (response, "apply") == 0 && mode != (self->original_mode & 07777))
    {
      if (self->sftp != NULL)
        {
          PasSftpAttrs attrs = { .flags = PAS_SFTP_ATTR_PERMISSIONS, .permissions = mode };

          pas_sftp_session_setstat_async (self->sftp, self->path, &attrs, NULL, remote_chmod_cb,
                                          g_object_ref (self));
        }
      else
        {
          g_autoptr(GFile) file = g_file_new_for_path (self->path);
          g_autoptr(GFileInfo) info = g_file_info_new ();

          g_file_info_set_attribute_uint32 (info, G_FILE_ATTRIBUTE_UNIX_MODE, mode);
          g_file_set_attributes_async (file, info, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, G_PRIORITY_DEFAULT,
                                       NULL, local_chmod_cb, g_object_ref (self));
        }
    }
}

static void
set_value (GtkLabel   *label,
           const char *value)
{
  gtk_label_set_text (label, value != NULL ? value : "—");
}

PasPropertiesDialog *
pas_properties_dialog_new (GtkWidget      *parent,
                           GFileInfo      *info,
                           const char     *path,
                           PasSftpSession *sftp)
{
  PasPropertiesDialog *self = g_object_new (PAS_TYPE_PROPERTIES_DIALOG, NULL);
  g_autofree char *size = NULL;
  g_autofree char *modified = NULL;
  g_autofree char *owner = NULL;
  const char *type;

  self->path = g_strdup (path);
  self->sftp = sftp != NULL ? g_object_ref (sftp) : NULL;
  self->original_mode = g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_UNIX_MODE);

  switch (g_file_info_get_file_type (info))
    {
    case G_FILE_TYPE_DIRECTORY: type = _("Folder"); break;
    case G_FILE_TYPE_SYMBOLIC_LINK: type = _("Link"); break;
    case G_FILE_TYPE_SPECIAL: type = _("Special file"); break;
    default: type = _("File"); break;
    }
  if (g_file_info_get_is_symlink (info))
    /* Translators: the type of a symbolic link to a file or folder, e.g. "Link to Folder" */
    type = g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY ? _("Link to a folder") : _("Link to a file");
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_DIRECTORY &&
      g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
    {
      g_autofree char *human = g_format_size ((guint64) g_file_info_get_size (info));
      g_autofree char *bytes = g_strdup_printf ("%'" G_GINT64_FORMAT, (gint64) g_file_info_get_size (info));
      /* Translators: a size, e.g. "1.2 MB (1,234,567 bytes)" */
      size = g_strdup_printf (_("%s (%s bytes)"), human, bytes);
    }
  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_TIME_MODIFIED))
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (
        (gint64) g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED));
      modified = when != NULL ? g_date_time_format (when, "%c") : NULL;
    }
  if (g_file_info_get_attribute_string (info, G_FILE_ATTRIBUTE_OWNER_USER) != NULL)
    owner = g_strdup_printf ("%s:%s", g_file_info_get_attribute_string (info, G_FILE_ATTRIBUTE_OWNER_USER),
                             g_file_info_get_attribute_string (info, G_FILE_ATTRIBUTE_OWNER_GROUP) != NULL
                               ? g_file_info_get_attribute_string (info, G_FILE_ATTRIBUTE_OWNER_GROUP) : "?");

  set_value (self->type_value, type);
  set_value (self->location_value, path);
  set_value (self->size_value, size);
  set_value (self->modified_value, modified);
  set_value (self->owner_value, owner);

  /* The name goes in the body: a heading must fit on one line (pas-alert.h). */
  self->alert = pas_alert_new (parent, _("Properties"), g_file_info_get_display_name (info));
  pas_alert_set_extra_child (self->alert, GTK_WIDGET (self));
  pas_alert_add_responses (self->alert, "cancel", _("_Cancel"), "apply", _("_Apply"), NULL);
  pas_alert_set_response_appearance (self->alert, "apply", ADW_RESPONSE_SUGGESTED);
  pas_alert_set_default_response (self->alert, "apply");
  pas_alert_set_close_response (self->alert, "cancel");
  g_signal_connect_object (self->alert, "response", G_CALLBACK (response_cb), self, 0);
  /* Nothing to apply to a link (chmod changes its target) or to a file
   * without permissions (the server sent none): the boxes say so. */
  self->applicable = g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_UNIX_MODE) && !g_file_info_get_is_symlink (info);
  if (!self->applicable)
    {
      for (int i = 0; i < 9; i++)
        gtk_widget_set_sensitive (GTK_WIDGET (self->bits[i]), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->octal), FALSE);
      gtk_label_set_text (self->permissions_note,
                          g_file_info_get_is_symlink (info)
                            ? _("A link’s own permissions cannot be changed: chmod would change its target’s.")
                            : _("The server did not say this file’s permissions."));
      gtk_widget_set_visible (GTK_WIDGET (self->permissions_note), TRUE);
    }
  pas_properties_dialog_set_mode (self, self->original_mode);
  return self;
}

void
pas_properties_dialog_present (PasPropertiesDialog *self)
{
  g_return_if_fail (PAS_IS_PROPERTIES_DIALOG (self));

  pas_alert_present (self->alert);
}

static void
pas_properties_dialog_finalize (GObject *object)
{
  PasPropertiesDialog *self = PAS_PROPERTIES_DIALOG (object);

  g_clear_object (&self->sftp);
  g_free (self->path);

  G_OBJECT_CLASS (pas_properties_dialog_parent_class)->finalize (object);
}

static const char * const bit_ids[9] = {
  "bit0", "bit1", "bit2", "bit3", "bit4", "bit5", "bit6", "bit7", "bit8",
};

static void
pas_properties_dialog_class_init (PasPropertiesDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = pas_properties_dialog_finalize;

  signals[SIGNAL_APPLIED] =
    g_signal_new ("applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/passerelle/Passerelle/pas-properties-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PasPropertiesDialog, type_value);
  gtk_widget_class_bind_template_child (widget_class, PasPropertiesDialog, location_value);
  gtk_widget_class_bind_template_child (widget_class, PasPropertiesDialog, size_value);
  gtk_widget_class_bind_template_child (widget_class, PasPropertiesDialog, modified_value);
  gtk_widget_class_bind_template_child (widget_class, PasPropertiesDialog, owner_value);
  gtk_widget_class_bind_template_child (widget_class, PasPropertiesDialog, octal);
  gtk_widget_class_bind_template_child (widget_class, PasPropertiesDialog, permissions_note);
  /* The names must outlive the class: literals. */
  for (guint i = 0; i < G_N_ELEMENTS (bit_ids); i++)
    gtk_widget_class_bind_template_child_full (widget_class, bit_ids[i], FALSE,
                                               G_STRUCT_OFFSET (PasPropertiesDialog, bits) + i * sizeof (gpointer));
  gtk_widget_class_bind_template_callback (widget_class, bit_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, octal_changed_cb);
}

static void
pas_properties_dialog_init (PasPropertiesDialog *self)
{
  static const char *who[] = { N_("Owner"), N_("Group"), N_("Others") };
  static const char *what[] = { N_("Read"), N_("Write"), N_("Execute") };

  gtk_widget_init_template (GTK_WIDGET (self));

  for (int i = 0; i < 9; i++)
    {
      /* Translators: the accessible name of a permission box, e.g. "Group: Write" */
      g_autofree char *name = g_strdup_printf (_("%s: %s"), _(who[i / 3]), _(what[i % 3]));

      gtk_accessible_update_property (GTK_ACCESSIBLE (self->bits[i]), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
    }
}
