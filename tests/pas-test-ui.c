#include <locale.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "pas-test-ui.h"

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the default main context for @msec, so layout and drawing happen. */
void
pas_test_ui_iterate (guint msec)
{
  gboolean done = FALSE;

  g_timeout_add (msec, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
recheck_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
pas_test_ui_wait_until (PasTestUiCondition condition,
                        gpointer           data,
                        guint              seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;
  /* Some conditions change with no event in this loop (a file another
   * process writes): look again every 5 ms, waiting in poll() as the app
   * does. A sleep between iterations would count in the stall probes. */
  guint recheck = g_timeout_add (5, recheck_cb, NULL);
  gboolean met;

  while (!(met = condition (data)) && g_get_monotonic_time () <= deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (recheck);
  return met;
}

static gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

void
pas_test_ui_wait_for_mapped (GtkWidget *widget)
{
  g_assert_true (pas_test_ui_wait_until (is_mapped, widget, 10));
  /* Give the frame clock a few frames to lay out and paint. */
  pas_test_ui_iterate (300);
}

/**
 * pas_test_ui_screenshot:
 *
 * Renders @widget the way GTK draws it and saves it as NAME.png under
 * $PAS_TEST_SCREENSHOT_DIR (the build directory's screenshots/).
 *
 * Returns: (transfer full): the path written
 */
char *
pas_test_ui_screenshot (GtkWidget  *widget,
                        const char *name)
{
  const char *dir = g_getenv ("PAS_TEST_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file_name = g_strconcat (name, ".png", NULL);
  char *path;
  int width, height;
  GskRenderer *renderer;

  /* A window just shown may not be laid out yet (slow under ASan). */
  for (int tries = 0; tries < 100 && (gtk_widget_get_width (widget) == 0 || gtk_widget_get_height (widget) == 0);
       tries++)
    pas_test_ui_iterate (20);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  if (dir == NULL)
    dir = g_get_tmp_dir ();
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, file_name, NULL);

  /* A widget waiting for its next layout draws nothing: give it frames. */
  for (int tries = 0; node == NULL && tries < 20; tries++)
    {
      g_autoptr(GtkSnapshot) attempt = gtk_snapshot_new ();

      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (attempt), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&attempt));
      if (node == NULL)
        pas_test_ui_iterate (50);
    }
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);

  return path;
}

GtkWindow *
pas_test_ui_find_window (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* (transfer none) */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static gboolean
dialog_closed_hook (GSignalInvocationHint *hint,
                    guint                  n_values,
                    const GValue          *values,
                    gpointer               data)
{
  g_object_set_data (g_value_get_object (&values[0]), "pas-test-closed", GINT_TO_POINTER (TRUE));
  return TRUE;
}

/* An AdwDialog (libadwaita >= 1.5) stays mapped while its closing animation
 * plays: a test looking for the next dialog must not find the last one. Its
 * "closed" signal comes at the start of that animation. */
static void
watch_dialogs_closing (void)
{
  static gsize done;
  GType type;

  if (!g_once_init_enter (&done))
    return;
  type = g_type_from_name ("AdwDialog");
  if (type != 0)
    {
      g_type_class_unref (g_type_class_ref (type));
      g_signal_add_emission_hook (g_signal_lookup ("closed", type), 0, dialog_closed_hook, NULL, NULL);
    }
  g_once_init_leave (&done, 1);
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (g_object_get_data (G_OBJECT (widget), "pas-test-closed") != NULL)
    return NULL;
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_get_mapped (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A shown widget of @type anywhere: a window of its own, or inside one (an
 * AdwDialog is presented inside its parent window). */
GtkWidget *
pas_test_ui_find_widget (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* (transfer none) */

  watch_dialogs_closing ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);
      GtkWidget *found;

      if (!gtk_widget_get_visible (GTK_WIDGET (window)))
        continue;
      found = find_descendant (GTK_WIDGET (window), type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
pas_test_ui_find (GtkWidget     *root,
                  PasTestUiMatch match,
                  gconstpointer  data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = pas_test_ui_find (child, match, data);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_button_labelled (GtkWidget    *widget,
                    gconstpointer label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

GtkWidget *
pas_test_ui_find_button (GtkWidget  *widget,
                         const char *label)
{
  return pas_test_ui_find (widget, is_button_labelled, label);
}

/* Switches the process to a real fr_FR.UTF-8 locale before anything reads
 * it. LANGUAGE alone is not enough: newer glibc (2.41, Debian 13) ignores it
 * under C.UTF-8, as it always did under C. The locale is compiled once with
 * localedef into the build tree and found through LOCPATH, so no system
 * locale has to be generated. Call before g_test_init() and gtk_init(). */
void
pas_test_ui_use_french (void)
{
  const char *builddir = g_getenv ("PAS_TEST_BUILDDIR");
  g_autofree char *locpath = g_build_filename (builddir != NULL ? builddir : ".", "locale", NULL);
  g_autofree char *target = g_build_filename (locpath, "fr_FR.UTF-8", NULL);
  g_autofree char *messages = g_build_filename (target, "LC_MESSAGES", NULL);

  if (!g_file_test (messages, G_FILE_TEST_IS_DIR))
    {
      const char *argv[] = { "localedef", "-c", "-i", "fr_FR", "-f", "UTF-8", target, NULL };
      g_autofree char *err = NULL;
      g_autoptr(GError) error = NULL;
      int status = 0;

      g_mkdir_with_parents (locpath, 0755);
      if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                         NULL, NULL, NULL, &err, &status, &error))
        g_error ("localedef: %s (scripts/install-deps installs the locales package)", error->message);
      /* -c writes the locale despite warnings; exit status 1 means "with warnings". */
      if (!g_file_test (messages, G_FILE_TEST_IS_DIR))
        g_error ("localedef could not make fr_FR.UTF-8 (status %d): %s", status, err);
    }
  g_setenv ("LOCPATH", locpath, TRUE);
  g_setenv ("LC_ALL", "fr_FR.UTF-8", TRUE);
  g_setenv ("LANG", "fr_FR.UTF-8", TRUE);
  g_unsetenv ("LANGUAGE");
  if (setlocale (LC_ALL, "") == NULL)
    g_error ("setlocale(fr_FR.UTF-8) failed with LOCPATH=%s", locpath);
}

static guint64
switches_of (const char *status)
{
  guint64 total = 0;
  const char *keys[] = { "\nvoluntary_ctxt_switches:", "\nnonvoluntary_ctxt_switches:" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const char *at = strstr (status, keys[i]);
      if (at != NULL)
        total += g_ascii_strtoull (at + strlen (keys[i]), NULL, 10);
    }
  return total;
}

guint64
pas_test_ui_count_switches (const char *name)
{
  g_autofree char *main_tid = g_strdup_printf ("%d", (int) getpid ());
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;
  guint64 total = 0;

  g_assert_nonnull (dir);
  while ((tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *comm_path = g_strdup_printf ("/proc/self/task/%s/comm", tid);
      g_autofree char *status_path = g_strdup_printf ("/proc/self/task/%s/status", tid);
      g_autofree char *comm = NULL;
      g_autofree char *status = NULL;

      if (name == NULL ? strcmp (tid, main_tid) != 0
                       : !g_file_get_contents (comm_path, &comm, NULL, NULL) || strcmp (g_strchomp (comm), name) != 0)
        continue;
      if (g_file_get_contents (status_path, &status, NULL, NULL))
        total += switches_of (status);
    }
  return total;
}

static gboolean
child_exited_cb (gpointer data)
{
  return *(int *) data != G_MININT;
}

static void
child_watch_cb (GPid     pid,
                int      status,
                gpointer data)
{
  *(int *) data = status;
  g_spawn_close_pid (pid);
}

static void
run_xdotool (GPtrArray *argv)
{
  g_autoptr(GError) error = NULL;
  int status = G_MININT;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  GPid pid;

  g_assert_true (g_spawn_async (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                                NULL, NULL, &pid, &error));
  g_assert_no_error (error);
  g_child_watch_add (pid, child_watch_cb, &status);
  while (!child_exited_cb (&status) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (status, ==, 0);
  pas_test_ui_iterate (200);
}

void
pas_test_ui_press_keys (const char *title,
                        const char *keys)
{
  g_auto(GStrv) names = g_strsplit (keys, " ", -1);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  /* Focus first, then keys through XTEST to whatever has the focus (keys
   * sent to a window id instead arrive as synthetic events GTK may ignore). */
  g_ptr_array_add (argv, "timeout");
  g_ptr_array_add (argv, "20");
  g_ptr_array_add (argv, "sh");
  g_ptr_array_add (argv, "-c");
  g_ptr_array_add (argv, "xdotool search --sync --onlyvisible --limit 1 --name \"$0\" windowfocus --sync "
                         "&& xdotool key --delay 50 \"$@\"");
  g_ptr_array_add (argv, (char *) title);
  for (guint i = 0; names[i] != NULL; i++)
    g_ptr_array_add (argv, names[i]);
  g_ptr_array_add (argv, NULL);
  run_xdotool (argv);
}

/* Clicks the left button at (@x, @y) of @widget, with the real pointer
 * (XTEST), in the window titled @title. */
void
pas_test_ui_click (const char *title,
                   GtkWidget  *widget,
                   double      x,
                   double      y)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  graphene_point_t point;
  GtkNative *native = gtk_widget_get_native (widget);
  double dx = 0, dy = 0;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native), &GRAPHENE_POINT_INIT ((float) x, (float) y),
                                           &point));
  /* The surface starts before the window's content: its shadow. */
  gtk_native_get_surface_transform (native, &dx, &dy);
  g_ptr_array_add (argv, g_strdup ("timeout"));
  g_ptr_array_add (argv, g_strdup ("20"));
  g_ptr_array_add (argv, g_strdup ("sh"));
  g_ptr_array_add (argv, g_strdup ("-c"));
  g_ptr_array_add (argv, g_strdup ("w=$(xdotool search --sync --onlyvisible --limit 1 --name \"$0\") && "
                                   "xdotool mousemove --window $w --sync $1 $2 click 1"));
  g_ptr_array_add (argv, g_strdup (title));
  g_ptr_array_add (argv, g_strdup_printf ("%d", (int) (point.x + dx)));
  g_ptr_array_add (argv, g_strdup_printf ("%d", (int) (point.y + dy)));
  g_ptr_array_add (argv, NULL);
  run_xdotool (argv);
}

static gboolean
is_named (GtkWidget    *widget,
          gconstpointer name)
{
  return g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

GtkWidget *
pas_test_ui_find_named (GtkWidget  *root,
                        const char *name)
{
  return pas_test_ui_find (root, is_named, name);
}

const char *
pas_test_ui_template_label (GtkWidget  *widget,
                            GType       type,
                            const char *id)
{
  GObject *label = gtk_widget_get_template_child (widget, type, id);

  g_assert_true (GTK_IS_LABEL (label));
  return gtk_label_get_text (GTK_LABEL (label));
}
