#include "rk-demo-population.h"

#include <string.h>

#include "rk-intake-types.h"
#include "rk-nik.h"
#include "rk-region.h"

static const char *const male_names[] = {
  "Agus", "Ahmad", "Budi", "Dedi", "Eko", "Hendra", "Irwan", "Joko", "Yusuf", "Kurniawan",
  "Muhammad", "Rizki", "Slamet", "Sutrisno", "Suparman", "Wahyu", "Yanto", "Bambang",
  "Dimas", "Fajar", "Gilang", "Hadi", "Ilham", "Jaya", "Rudi", "Teguh", "Andi", "Arif",
  "Bayu", "Cahyo", "Darmawan", "Edi", "Firman", "Gunawan", "Haris", "Imam", "Junaedi",
  "Khairul", "Lukman", "Made", "Nanang", "Oki", "Putu", "Rahmat", "Syaiful", "Taufik",
  "Umar", "Wawan", "Yudi", "Zainal", "Sukarno", "Suharto", "Sujono", "Mulyadi", "Ridwan",
  "Abdul", "Akhmad", "Hasan", "Husein", "Iwan", "Anton", "Yohanes", "Stefanus", "Ketut",
  "Wayan", "Nyoman", "Hendrik", "Rizal", "Fauzi", "Samsul", "Nur", "Rohman", "Adi",
};

static const char *const female_names[] = {
  "Siti", "Sri", "Dewi", "Ayu", "Nur", "Fitri", "Lestari", "Rina", "Wulan", "Yuni",
  "Ani", "Dian", "Eka", "Fatimah", "Indah", "Kartini", "Lina", "Maya", "Novi", "Putri",
  "Ratna", "Sari", "Tuti", "Utami", "Wati", "Yanti", "Aisyah", "Anisa", "Bunga", "Citra",
  "Desi", "Endang", "Fitriani", "Handayani", "Ika", "Juwita", "Kurniasih", "Lia", "Mega",
  "Nina", "Nurhayati", "Oktaviani", "Purnama", "Rahayu", "Rini", "Septi", "Suryani",
  "Tri", "Umi", "Vina", "Winarti", "Yulia", "Zahra", "Khadijah", "Maria", "Agnes",
  "Theresia", "Komang", "Ni Luh", "Sumiati", "Sulastri", "Suharti", "Jumiati", "Rusmini",
};

static const char *const second_names[] = {
  "Setiawan", "Saputra", "Hidayat", "Nugroho", "Pratama", "Santoso", "Wijaya", "Gunawan",
  "Susanto", "Hakim", "Kusuma", "Permana", "Ramadhan", "Firmansyah", "Hermawan",
  "Prasetyo", "Wibowo", "Suryadi", "Rahman", "Syahputra", "Hasibuan", "Siregar", "Lubis",
  "Nasution", "Simanjuntak", "Sitompul", "Harahap", "Tanjung", "Sembiring", "Ginting",
  "Wahyudi", "Kurniawati", "Rahmawati", "Lestari", "Anggraini", "Puspita", "Safitri",
  "Maharani", "Handayani", "Wulandari", "Kusumawati", "Yuliana", "Susanti", "Aminah",
  "Maemunah", "Rohmah", "Hayati", "Sulistyowati", "Purwanto", "Sudarsono", "Cahyadi",
  "Abdullah", "Hamzah", "Yusuf", "Iskandar", "Mahendra", "Utomo", "Hartono", "Sugiarto",
};

static const char *const places[] = {
  "TANGERANG", "TANGERANG", "TANGERANG", "JAKARTA", "JAKARTA", "BOGOR", "BANDUNG", "SERANG",
  "SEMARANG", "SURABAYA", "YOGYAKARTA", "SOLO", "CIREBON", "TEGAL", "PADANG", "MEDAN",
  "PALEMBANG", "LAMPUNG", "MAKASSAR", "DENPASAR", "GARUT", "KUNINGAN", "BREBES", "KEBUMEN",
};

static const char *const streets[] = {
  "JL. RADEN SALEH", "JL. CIPADU RAYA", "JL. KREO RAYA", "JL. HOS COKROAMINOTO",
  "JL. INPRES", "JL. MASJID AL-IKHLAS", "JL. KH. MAS MANSYUR", "JL. GAGA", "JL. SWADAYA",
  "JL. MERPATI", "JL. KENANGA", "JL. MELATI", "JL. DAMAI", "JL. PONDOK AREN", "GG. H. SAAN",
};

static const char *const religions[] = {
  "ISLAM", "KRISTEN", "KATHOLIK", "HINDU", "BUDHA", "KHONGHUCU",
};
static const guint religion_weights[] = { 850, 70, 35, 10, 30, 5 };

static const char *const adult_jobs[] = {
  "KARYAWAN SWASTA", "WIRASWASTA", "PEDAGANG", "BURUH HARIAN LEPAS", "PEGAWAI NEGERI SIPIL",
  "GURU", "SOPIR", "PERAWAT", "TUKANG BANGUNAN", "KARYAWAN BUMN", "MEKANIK", "PENJAHIT",
};

typedef struct {
  GRand                 *rand;
  GOutputStream         *output;
  GString               *line;
  GHashTable            *serials;    /* first 12 NIK digits -> last serial */
  guint                  kk_serial;
  GDate                  today;
  GPtrArray             *kelurahan;
  RkDemoPopulationStats  stats;
} Generator;

static guint
pick (Generator *g, guint n)
{
  return (guint) g_rand_int_range (g->rand, 0, (gint32) n);
}

#define PICK(g, array) ((array)[pick ((g), G_N_ELEMENTS (array))])

/* The pre-1972 spelling, for some people born before 1960. */
static void
old_spelling (GString *name)
{
  static const struct { const char *from, *to; } rules[] = {
    { "u", "oe" }, { "j", "dj" }, { "y", "j" }, { "c", "tj" }, { "kh", "ch" },
  };
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = name->str; *p;)
    {
      gboolean done = FALSE;

      for (gsize i = 0; i < G_N_ELEMENTS (rules) && !done; i++)
        {
          gsize n = strlen (rules[i].from);

          if (g_ascii_strncasecmp (p, rules[i].from, n) == 0)
            {
              gboolean upper = g_ascii_isupper (*p);

              g_string_append_c (out, upper ? g_ascii_toupper (rules[i].to[0]) : rules[i].to[0]);
              g_string_append (out, rules[i].to + 1);
              p += n;
              done = TRUE;
            }
        }
      if (!done)
        g_string_append_c (out, *p++);
    }
  g_string_assign (name, out->str);
}

static char *
make_name (Generator *g, RkSex sex, guint birth_year)
{
  g_autoptr(GString) name = g_string_new (NULL);
  guint form = pick (g, 10);

  g_string_append (name, sex == RK_SEX_MALE ? PICK (g, male_names) : PICK (g, female_names));
  if (form >= 2)
    {
      g_string_append_c (name, ' ');
      g_string_append (name, PICK (g, second_names));
    }
  if (form >= 8)
    {
      g_string_append_c (name, ' ');
      g_string_append (name, sex == RK_SEX_MALE ? PICK (g, male_names) : PICK (g, second_names));
    }
  if (birth_year < 1960 && pick (g, 3) == 0)
    old_spelling (name);
  return g_ascii_strup (name->str, -1);
}

static void
random_birth (Generator *g, guint min_age, guint max_age, GDate *ret)
{
  guint span_days = (max_age - min_age + 1) * 365;
  guint back = min_age * 365 + pick (g, span_days);

  *ret = g->today;
  g_date_subtract_days (ret, back);
}

static guint
next_serial (Generator *g, const char *prefix12)
{
  gpointer value = g_hash_table_lookup (g->serials, prefix12);
  guint serial = GPOINTER_TO_UINT (value) + 1;

  g_hash_table_replace (g->serials, g_strdup (prefix12), GUINT_TO_POINTER (serial));
  return serial;
}

static void
csv_text (GString *line, const char *text)
{
  /* Quote when needed (RFC 4180): our addresses hold commas sometimes. */
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (line, text);
      return;
    }
  g_string_append_c (line, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  g_string_append_c (line, '"');
}

typedef struct {
  char        no_kk[17];
  const char *kode_kel;
  char        address[96];
  guint       rt, rw;
} Household;

static gboolean
emit (Generator *g, const Household *h, RkSex sex, const GDate *birth, RkMarital marital,
      const char *job, GError **error)
{
  char nik[RK_NIK_LENGTH + 1];
  char prefix[13];
  char birth_iso[11];
  g_autofree char *name = make_name (g, sex, g_date_get_year (birth));
  GDate nik_date = *birth;
  RkSex nik_sex = sex;
  guint religion_roll = pick (g, 1000), religion = 0;
  gsize written;

  /* About 1 in 100: the NIK was issued with a wrong day or sex. */
  if (pick (g, 100) == 0)
    {
      if (pick (g, 2) == 0)
        g_date_add_days (&nik_date, 1 + pick (g, 20));
      else
        nik_sex = sex == RK_SEX_MALE ? RK_SEX_FEMALE : RK_SEX_MALE;
      g->stats.nik_mismatch++;
    }
  rk_nik_compose ("367113", &nik_date, nik_sex, 0, nik);
  memcpy (prefix, nik, 12);
  prefix[12] = '\0';
  rk_nik_compose ("367113", &nik_date, nik_sex, next_serial (g, prefix), nik);

  for (guint acc = 0; religion < G_N_ELEMENTS (religions) - 1; religion++)
    {
      acc += religion_weights[religion];
      if (religion_roll < acc)
        break;
    }
  rk_date_format (birth, birth_iso);

  g_string_truncate (g->line, 0);
  g_string_append_printf (g->line, "%s,%s,", nik, h->no_kk);
  csv_text (g->line, name);
  g_string_append_printf (g->line, ",%s,%s,%s,%s,%s,%s,", PICK (g, places), birth_iso,
                          sex == RK_SEX_MALE ? "LAKI-LAKI" : "PEREMPUAN",
                          marital == RK_MARITAL_SINGLE ? "BELUM KAWIN"
                          : marital == RK_MARITAL_MARRIED ? "KAWIN"
                          : marital == RK_MARITAL_DIVORCED ? "CERAI HIDUP" : "CERAI MATI",
                          religions[religion], job);
  csv_text (g->line, h->address);
  g_string_append_printf (g->line, ",%03u,%03u,%s\n", h->rt, h->rw, h->kode_kel);
  g->stats.rows++;
  return g_output_stream_write_all (g->output, g->line->str, g->line->len, &written, NULL,
                                    error);
}

static gboolean
emit_household (Generator *g, GError **error)
{
  Household h;
  GDate head_birth, issued;
  guint kind = pick (g, 100);
  guint head_age;
  RkSex head_sex = RK_SEX_MALE;
  RkMarital head_marital = RK_MARITAL_MARRIED;
  guint children = 0;

  h.kode_kel = g->kelurahan->pdata[pick (g, g->kelurahan->len)];
  h.rt = 1 + pick (g, 15);
  h.rw = 1 + pick (g, 12);
  g_snprintf (h.address, sizeof h.address, "%s NO. %u%s", PICK (g, streets), 1 + pick (g, 120),
              pick (g, 10) == 0 ? ", BLOK C" : "");
  random_birth (g, 0, 20, &issued);
  g_snprintf (h.no_kk, sizeof h.no_kk, "367113%02u%02u%02u%04u", g_date_get_day (&issued),
              (guint) g_date_get_month (&issued), g_date_get_year (&issued) % 100,
              ++g->kk_serial % 10000);
  g->stats.families++;

  if (kind < 12)
    {
      /* One person: a young single adult, or a widow(er). */
      head_age = 19 + pick (g, 60);
      head_sex = pick (g, 2) ? RK_SEX_MALE : RK_SEX_FEMALE;
      head_marital = head_age > 55 ? RK_MARITAL_WIDOWED : RK_MARITAL_SINGLE;
    }
  else
    {
      head_age = 22 + pick (g, 50);
      if (kind < 17)
        head_marital = RK_MARITAL_DIVORCED;
      children = pick (g, 5);
    }
  random_birth (g, head_age, head_age, &head_birth);
  if (!emit (g, &h, head_sex, &head_birth, head_marital, PICK (g, adult_jobs), error))
    return FALSE;

  if (kind >= 17)
    {
      GDate spouse_birth;
      guint spouse_age = head_age > 25 ? head_age - 5 + pick (g, 8) : head_age;

      random_birth (g, spouse_age, spouse_age, &spouse_birth);
      if (!emit (g, &h, RK_SEX_FEMALE, &spouse_birth, RK_MARITAL_MARRIED,
                 pick (g, 2) ? "MENGURUS RUMAH TANGGA" : PICK (g, adult_jobs), error))
        return FALSE;
    }

  for (guint i = 0; i < children; i++)
    {
      guint max_age = head_age > 40 ? head_age - 20 : head_age > 20 ? head_age - 18 : 1;
      GDate birth;
      RkSex sex = pick (g, 2) ? RK_SEX_MALE : RK_SEX_FEMALE;
      RkMarital marital = RK_MARITAL_SINGLE;
      guint roll = pick (g, 1000);
      const char *job;
      guint age;

      random_birth (g, 0, max_age, &birth);
      if (roll < 12)
        {
          /* Turning 17 within the coming week. */
          birth = g->today;
          g_date_subtract_years (&birth, 17);
          g_date_add_days (&birth, 1 + pick (g, 7));
          g->stats.turning_17_next_week++;
        }
      else if (roll < 20)
        {
          /* Married at 15 or 16 (a dispensation). */
          random_birth (g, 15, 16, &birth);
          marital = RK_MARITAL_MARRIED;
          sex = RK_SEX_FEMALE;
          g->stats.married_under_17++;
        }
      else if (g_date_get_year (&g->today) - g_date_get_year (&birth) >= 22 && pick (g, 3) == 0)
        marital = RK_MARITAL_MARRIED;
      age = g_date_get_year (&g->today) - g_date_get_year (&birth);
      job = age < 5 ? "BELUM/TIDAK BEKERJA" : age < 23 ? "PELAJAR/MAHASISWA"
            : PICK (g, adult_jobs);
      if (!emit (g, &h, sex, &birth, marital, job, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
rk_demo_population_write (GOutputStream *output, guint64 rows, guint32 seed,
                          const GDate *today, RkDemoPopulationStats *ret_stats,
                          GError **error)
{
  static const char header[] = "NIK,NO_KK,NAMA_LGKP,TMPT_LHR,TGL_LHR,JENIS_KLMIN,STAT_KWN,"
                               "AGAMA,JENIS_PKRJN,ALAMAT,NO_RT,NO_RW,KODE_KEL\n";
  Generator g = { 0 };
  g_autoptr(GBufferedOutputStream) buffered = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (g_date_valid (today), FALSE);
  buffered = G_BUFFERED_OUTPUT_STREAM (g_buffered_output_stream_new_sized (output, 256 * 1024));
  g.output = G_OUTPUT_STREAM (buffered);
  g.rand = g_rand_new_with_seed (seed);
  g.line = g_string_sized_new (256);
  g.serials = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g.today = *today;
  g.kelurahan = rk_region_children ("367113");
  g_filter_output_stream_set_close_base_stream (G_FILTER_OUTPUT_STREAM (buffered), FALSE);

  ok = g_output_stream_write_all (g.output, header, sizeof header - 1, NULL, NULL, error);
  while (ok && g.stats.rows < rows)
    ok = emit_household (&g, error);
  if (ok)
    ok = g_output_stream_flush (g.output, NULL, error);

  g_rand_free (g.rand);
  g_string_free (g.line, TRUE);
  g_hash_table_unref (g.serials);
  g_ptr_array_unref (g.kelurahan);
  if (ok && ret_stats != NULL)
    *ret_stats = g.stats;
  return ok;
}
