/* Browsing both folders together ("synchronized browsing" in FileZilla):
 * while it is on, a move of one pane is made on the other, relative to the
 * pair of folders last shown together. Going into "docs" on one side goes
 * into "docs" on the other, going up goes up, and a jump elsewhere (a path
 * typed, a bookmark) goes up to the folders' common part and down the same
 * names. Where the other side has no such folder, it stops, and says so. */
#define G_LOG_DOMAIN "pas-browser"

#include "config.h"

#include <glib/gi18n.h>

#include "pas-browser-private.h"
#include "pas-error.h"

static char **
components (const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  GPtrArray *kept = g_ptr_array_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0' && g_strcmp0 (parts[i], ".") != 0)
      g_ptr_array_add (kept, g_strdup (parts[i]));
  g_ptr_array_add (kept, NULL);
  return (char **) g_ptr_array_free (kept, FALSE);
}

/* Where the other side goes when this side moves from @from to @to, the
 * other side being at @other; NULL when it has no folders to go up from. */
char *
pas_browser_follow_path (const char *from,
                         const char *to,
                         const char *other)
{
  g_auto(GStrv) a = components (from);
  g_auto(GStrv) b = components (to);
  g_auto(GStrv) o = components (other);
  guint na = g_strv_length (a), nb = g_strv_length (b), no = g_strv_length (o);
  guint common = 0, ups;
  GString *path = g_string_new (NULL);

  while (common < na && common < nb && g_str_equal (a[common], b[common]))
    common++;
  ups = na - common;
  if (ups > no)
    {
      g_string_free (path, TRUE);
      return NULL;
    }
  for (guint i = 0; i < no - ups; i++)
    g_string_append_printf (path, "/%s", o[i]);
  for (guint i = common; i < nb; i++)
    g_string_append_printf (path, "/%s", b[i]);
  if (path->len == 0)
    g_string_append_c (path, '/');
  return g_string_free (path, FALSE);
}

static void
stop (PasBrowser *self,
      const char *why)
{
  self->follow = FALSE;
  g_clear_pointer (&self->follow_local, g_free);
  g_clear_pointer (&self->follow_remote, g_free);
  g_clear_pointer (&self->follow_left, g_free);
  pas_file_pane_set_note (self->local_pane, NULL);
  pas_file_pane_set_note (self->remote_pane, NULL);
  g_object_notify (G_OBJECT (self), "follow-folders");
  if (why != NULL)
    pas_browser_toast (self, why);
}

static void
location_cb (PasFilePane *pane,
             GParamSpec  *pspec,
             PasBrowser  *self)
{
  gboolean local = pane == self->local_pane;
  char **mine = local ? &self->follow_local : &self->follow_remote;
  char **theirs = local ? &self->follow_remote : &self->follow_local;
  PasFilePane *other = local ? self->remote_pane : self->local_pane;
  const char *now = pas_file_pane_get_location (pane);
  g_autofree char *target = NULL;

  /* The other pane's move, made here: nothing to follow. */
  if (!self->follow || g_strcmp0 (now, *mine) == 0)
    return;
  target = pas_browser_follow_path (*mine, now, *theirs);
  if (target == NULL)
    {
      /* Translators: browsing both folders together stopped; %s is a folder */
      g_autofree char *why = g_strdup_printf (_("Browsing apart: the other side has no folder above “%s”"),
                                              *theirs);
      stop (self, why);
      return;
    }
  g_free (*mine);
  *mine = g_strdup (now);
  g_free (*theirs);
  *theirs = g_strdup (target);
  g_free (self->follow_left);
  self->follow_left = g_strdup (pas_file_pane_get_location (other));
  pas_file_pane_set_location (other, target);
}

typedef struct
{
  PasBrowser  *self;
  PasFilePane *pane;
  char        *path;
} GoBack;

/* After the failure's own signal: going elsewhere from inside it would
 * drop the listing that is emitting it. */
static gboolean
go_back_cb (gpointer data)
{
  GoBack *back = data;

  pas_file_pane_set_location (back->pane, back->path);
  g_object_unref (back->self);
  g_free (back->path);
  g_free (back);
  return G_SOURCE_REMOVE;
}

static void
load_failed_cb (PasFilePane  *pane,
                const GError *error,
                PasBrowser   *self)
{
  const char *followed = pane == self->local_pane ? self->follow_local : self->follow_remote;
  g_autofree char *why = NULL;
  g_autofree char *name = NULL;
  g_autofree char *back = NULL;
  gboolean missing;

  if (!self->follow || g_strcmp0 (pas_file_pane_get_location (pane), followed) != 0)
    return;
  /* Ours to explain: no raw error, and the pane goes back to where it was. */
  g_signal_stop_emission_by_name (pane, "load-failed");
  missing = pas_error_is_not_found (error);
  name = g_path_get_basename (followed);
  if (missing)
    /* Translators: browsing both folders together stopped; %s is a folder one side does not have */
    why = g_strdup_printf (_("Browsing apart: “%s” is not on the other side"), name);
  else
    /* Translators: browsing both folders together stopped; %s is a folder, then why it could not be opened */
    why = g_strdup_printf (_("Browsing apart: “%s” could not be opened on the other side: %s"), name, error->message);
  back = g_steal_pointer (&self->follow_left);
  stop (self, why);
  if (back != NULL)
    {
      GoBack *go = g_new0 (GoBack, 1);

      go->self = g_object_ref (self);
      go->pane = pane;
      go->path = g_steal_pointer (&back);
      g_idle_add (go_back_cb, go);
    }
}

gboolean
pas_browser_get_follow_folders (PasBrowser *self)
{
  g_return_val_if_fail (PAS_IS_BROWSER (self), FALSE);

  return self->follow;
}

void
pas_browser_set_follow_folders (PasBrowser *self,
                                gboolean    follow)
{
  g_return_if_fail (PAS_IS_BROWSER (self));

  follow = !!follow;
  if (follow == self->follow)
    return;
  if (!follow)
    {
      stop (self, NULL);
      return;
    }
  /* From the two folders shown now. */
  self->follow = TRUE;
  self->follow_local = g_strdup (pas_file_pane_get_location (self->local_pane));
  self->follow_remote = g_strdup (pas_file_pane_get_location (self->remote_pane));
  /* Translators: after a file list's status while both folders are browsed together */
  pas_file_pane_set_note (self->local_pane, _("browsing together"));
  pas_file_pane_set_note (self->remote_pane, _("browsing together"));
  g_object_notify (G_OBJECT (self), "follow-folders");
}

void
pas_browser_init_follow (PasBrowser *self)
{
  g_signal_connect (self->local_pane, "notify::location", G_CALLBACK (location_cb), self);
  g_signal_connect (self->remote_pane, "notify::location", G_CALLBACK (location_cb), self);
  g_signal_connect (self->local_pane, "load-failed", G_CALLBACK (load_failed_cb), self);
  g_signal_connect (self->remote_pane, "load-failed", G_CALLBACK (load_failed_cb), self);
}

void
pas_browser_dispose_follow (PasBrowser *self)
{
  self->follow = FALSE;
  g_clear_pointer (&self->follow_local, g_free);
  g_clear_pointer (&self->follow_remote, g_free);
  g_clear_pointer (&self->follow_left, g_free);
}
