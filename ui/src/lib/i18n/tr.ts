// Source dictionary (Turkish). en.ts must have exactly the same shape: see Messages.
// Error texts live under `errors`, keyed by the backend's dotted code
// (`store.wrong_key` → errors.store.wrong_key).

const tr = {
  app: {
    name: "Ulak",
    loading: "Yükleniyor…",
    tagline: "CRM e-posta asistanı",
  },
  lang: {
    label: "Dil",
    tr: "TR",
    en: "EN",
    trName: "Türkçe",
    enName: "İngilizce",
    saveFailed: "Dil tercihi kaydedilemedi.",
  },
  nav: {
    label: "Ana menü",
    groupProfile: "Profil",
    groupContact: "İletişim",
    profile: "Profil",
    emailSettings: "E-posta Ayarları",
    compose: "E-posta Oluştur",
    integrations: "Entegrasyonlar",
    history: "Gönderim Geçmişi",
    notifications: "Bildirimler",
  },
  workspace: {
    label: "Çalışma alanı",
    new: "+ Yeni çalışma alanı",
    nameLabel: "Çalışma alanı adı",
    namePlaceholder: "ör. İstanbul Satış",
    create: "Oluştur",
    creating: "Oluşturuluyor…",
    cancel: "Vazgeç",
    switchFailed: "Çalışma alanı değiştirilemedi.",
    loadFailed: "Çalışma alanları yüklenemedi.",
  },
  lock: {
    title: "Ulak kilitli",
    createTitle: "Verileriniz için bir parola belirleyin",
    createIntro:
      "Sistem anahtarlığına ulaşılamadığı için Ulak, verilerinizi şifrelemek için bir parola kullanacak. Bu parolayı her açılışta soracağız; unutursanız veriler açılamaz.",
    unlockTitle: "Parolanızı girin",
    unlockIntro: "Verileriniz parolayla şifrelenmiş. Devam etmek için parolanızı yazın.",
    passphrase: "Parola",
    passphraseConfirm: "Parola (tekrar)",
    passphraseHelp: "En az {min} karakter.",
    submitCreate: "Parolayı belirle ve devam et",
    submitUnlock: "Kilidi aç",
    working: "Açılıyor…",
    retry: "Tekrar dene",
    retrying: "Deneniyor…",
    notAllowed: "Bu durumda parola ile açılamıyor. Sorunu giderip tekrar deneyin.",
    dataDir: "Veri klasörü: {path}",
    startupFailed: "Ulak başlatılamadı",
  },
  page: {
    comingSoon: "Bu bölüm henüz hazır değil.",
    emailSettingsSoon:
      "Burada gönderim için SMTP sunucusu, bağlantı güvenliği ve imza ayarlarını yapacaksınız.",
    composeSoon: "Burada CRM kişilerinize şablonlu e-postalar yazıp gönderebileceksiniz.",
    integrationsSoon: "Burada CRM sisteminizi bağlayıp kişilerinizi içe aktarabileceksiniz.",
    historySoon: "Burada gönderdiğiniz e-postaları, durumlarını ve hatalarını göreceksiniz.",
    notificationsSoon:
      "Burada gönderim sonuçları ve hatırlatmalar için bildirim tercihlerinizi ayarlayacaksınız.",
  },
  profile: {
    intro: "Gönderdiğiniz e-postalarda bu bilgiler kullanılır.",
    workspace: "Çalışma alanı: {name}",
    displayName: "Görünen Ad",
    displayNameHelp: "Uygulamada sizi tanıtan ad.",
    senderEmail: "Gönderen E-posta Adresi",
    senderEmailHelp: "Alıcıların göreceği adres, ör. ad@firma.com.tr.",
    senderName: "Gönderen Adı",
    senderNameHelp: "Boş bırakırsanız yalnızca adres görünür.",
    required: "zorunlu",
    optional: "isteğe bağlı",
    save: "Kaydet",
    saving: "Kaydediliyor…",
    saved: "Kaydedildi",
    saveFailed: "Kaydedilemedi.",
    fixField: "Kaydedilemedi: işaretli alanı düzeltin.",
    loadFailed: "Profil yüklenemedi.",
    reload: "Yeniden yükle",
    updatedAt: "Son kayıt: {date}",
  },
  errors: {
    store: {
      keyring_unavailable: {
        message: "Sistem anahtarlığına ulaşılamadı.",
        hint: "Anahtarlık hizmetini (ör. GNOME Keyring, KWallet) açıp tekrar deneyin ya da verileri bir parolayla koruyun.",
      },
      key_missing: {
        message: "Veri anahtarı sistem anahtarlığında bulunamadı.",
        hint: "Verileri oluşturduğunuz kullanıcı hesabıyla oturum açtığınızdan emin olun; anahtarlığı geri yükleyip tekrar deneyin.",
      },
      passphrase_required: {
        message: "Verileriniz parolayla korunuyor.",
        hint: "Devam etmek için parolanızı girin.",
      },
      wrong_key: {
        message: "Parola yanlış.",
        hint: "Parolayı kontrol edip yeniden yazın; Caps Lock açık olabilir.",
      },
      corrupt: {
        message: "Veri dosyası bozuk görünüyor.",
        hint: "Ulak'ı kapatın ve veri klasörünü bir yedekten geri yükleyin.",
      },
      meta_missing: {
        message: "Veri klasöründeki anahtar bilgisi eksik.",
        hint: "Veri klasörünü eksiksiz bir yedekten geri yükleyin.",
      },
      data_dir_not_writable: {
        message: "Veri klasörüne yazılamıyor.",
        hint: "Klasörün izinlerini ve diskte boş yer olup olmadığını kontrol edip tekrar deneyin.",
      },
      passphrase_too_short: {
        message: "Parola çok kısa.",
        hint: "En az {min} karakterlik bir parola seçin.",
      },
      not_open: {
        message: "Veri deposu açık değil.",
        hint: "Önce kilidi açın ya da Ulak'ı yeniden başlatın.",
      },
      io: {
        message: "Diskte okuma ya da yazma hatası oluştu.",
        hint: "Diskte yer olduğunu ve veri klasörüne erişilebildiğini kontrol edip tekrar deneyin.",
      },
      database: {
        message: "Veritabanı hatası oluştu.",
        hint: "Tekrar deneyin; sorun sürerse Ulak'ı yeniden başlatın.",
      },
    },
    validation: {
      required: {
        message: "Bu alan zorunlu.",
        hint: "Lütfen doldurun.",
      },
      email: {
        message: "Geçerli bir e-posta adresi değil.",
        hint: "ad@firma.com biçiminde, boşluk bırakmadan yazın.",
      },
      too_long: {
        message: "Çok uzun.",
        hint: "En fazla {max} karakter olacak şekilde kısaltın.",
      },
      control_chars: {
        message: "Satır sonu ya da kontrol karakteri içeriyor.",
        hint: "Satır sonlarını ve sekmeleri silin; tek satırda yazın.",
      },
      passphrase_mismatch: {
        message: "Parolalar eşleşmiyor.",
        hint: "İki alana da aynı parolayı yazın.",
      },
    },
    workspace: {
      not_found: {
        message: "Çalışma alanı bulunamadı.",
        hint: "Listeden başka bir çalışma alanı seçin.",
      },
      duplicate_name: {
        message: "Bu adla bir çalışma alanı zaten var.",
        hint: "Farklı bir ad yazın.",
      },
    },
    ui: {
      backend_unreachable: {
        message: "Ulak'ın arka ucuna ulaşılamadı.",
        hint: "Ulak'ı masaüstü uygulaması olarak başlatın; tarayıcıda tek başına çalışmaz.",
      },
    },
    internal: {
      message: "Beklenmeyen bir hata oluştu.",
      hint: "Tekrar deneyin; sorun sürerse Ulak'ı yeniden başlatın.",
    },
  },
};

export default tr;
