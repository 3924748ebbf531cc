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
  smtp: {
    intro: "Müşterilerinize e-posta göndereceğiniz hesapları burada ayarlayın.",
    workspace: "Çalışma alanı: {name}",
    listTitle: "Hesaplar",
    listLoading: "Hesaplar yükleniyor…",
    loadFailed: "Hesaplar yüklenemedi.",
    reload: "Yeniden yükle",
    newAccount: "+ Yeni hesap",
    edit: "Düzenle",
    remove: "Sil",
    removeConfirm: "{email} silinsin mi? Kayıtlı şifresi de silinir.",
    removeYes: "Evet, sil",
    removeNo: "Vazgeç",
    removing: "Siliniyor…",
    removeFailed: "Silinemedi.",
    testButton: "Bağlantıyı Test Et",
    sendTestButton: "Test e-postası gönder",
    sendTestSending: "Gönderiliyor…",
    sendTestSent: "Test e-postası {to} adresine gönderildi. Gelen kutunuza bakın.",
    passwordSet: "Şifre: ••••••••",
    passwordMissing: "Şifre kayıtlı değil",
    trustedCa: "Şirket sertifika yetkilisine güveniliyor",
    formNew: "Yeni hesap",
    formEdit: "Hesabı düzenle: {email}",
    cancel: "Vazgeç",
    required: "zorunlu",
    optional: "isteğe bağlı",
    field: {
      email: "Gönderen E-posta Adresi",
      senderName: "Gönderen Adı",
      host: "SMTP Sunucusu",
      port: "SMTP Port",
      security: "Güvenlik",
      username: "SMTP Kullanıcı Adı",
      password: "SMTP Şifre",
    },
    help: {
      email: "Bu hesaptan gönderilen e-postaların adresi, ör. ad@firma.com.tr.",
      senderName: "Alıcıların göreceği ad; boş bırakırsanız yalnızca adres görünür.",
      host: "E-posta sağlayıcınızın giden posta sunucusu, ör. smtp.firma.com.tr.",
      port: "Genellikle 587 (STARTTLS) ya da 465 (SSL/TLS).",
      security: "Sunucunun beklediği şifreleme türü.",
      username: "Çoğu zaman e-posta adresinin tamamı.",
      password: "Şifre bu bilgisayarda şifreli olarak saklanır.",
      passwordEdit: "Boş bırakırsanız kayıtlı şifre korunur.",
    },
    security: {
      choose: "Seçin…",
      starttls: "STARTTLS (genellikle 587)",
      tls: "SSL/TLS (genellikle 465)",
      none: "Şifrelemesiz (yalnızca bu bilgisayar)",
    },
    mode: {
      starttls: "STARTTLS",
      tls: "SSL/TLS",
      none: "Şifrelemesiz",
    },
    noneWarning:
      "Dikkat: bu bağlantıda hiçbir şey şifrelenmez. Yalnızca bu bilgisayarda çalışan bir sunucu için kullanın.",
    passwordKept: "•••••••• (kayıtlı — değiştirmek için yazın)",
    save: "Kaydet",
    saving: "Kaydediliyor…",
    saved: "Kaydedildi",
    saveFailed: "Kaydedilemedi.",
    fixField: "Kaydedilemedi: işaretli alanları düzeltin.",
    missing: "SMTP ayarları eksik: {fields}",
    listSeparator: ", ",
    suggestion: {
      looking: "Bu adres için ayarlar aranıyor…",
      none: "Bu adres için hazır ayar bulunamadı; sunucu bilgilerini e-posta sağlayıcınızdan ya da BT biriminden alın.",
      filled: "Sunucu alanları bu ayarlarla dolduruldu; gerekirse değiştirebilirsiniz.",
      kept: "Elle yazdığınız alanlar değiştirilmedi.",
      help: "Yardım sayfası:",
      pick: "Başka bir sunucu seçin:",
      server: "{port} {mode}",
    },
    source: {
      builtin: "Yerleşik sağlayıcı listesi: {name}",
      autoconfig_host: "Sağlayıcının otomatik ayar dosyası: {name}",
      well_known: "Alan adının otomatik ayar dosyası: {name}",
      ispdb: "Thunderbird sağlayıcı veritabanı: {name}",
      srv: "Alan adının DNS SRV kaydı: {name}",
      mx: "Alan adının MX kaydı: {name}",
    },
    test: {
      running: "Test ediliyor…",
      title: "Bağlantı testi: {email}",
      ok: "Bağlantı başarılı: bu hesapla e-posta gönderebilirsiniz.",
      failed: "Bağlantı testi başarısız.",
      failedAt: "Durduğu adım: {step}",
      cause: "Neden",
      fix: "Ne yapmalı",
      ms: "{ms} ms",
      stepOk: "tamam",
      stepFailed: "başarısız",
      tlsTitle: "Şifreleme",
      tlsProtocol: "Protokol",
      tlsSubject: "Sertifika sahibi",
      tlsIssuer: "Sertifikayı veren",
      tlsExpires: "Geçerlilik sonu",
      saveFirst: "Test etmek için önce hesabı kaydedin.",
      applyMode: {
        starttls: "STARTTLS'e geç ({port})",
        tls: "SSL/TLS'e geç ({port})",
        none: "Şifrelemesize geç ({port})",
      },
      applied: "Güvenlik ve port forma yazıldı; kaydedip yeniden test edin.",
      trustCa:
        "Şirketinizin kendi sertifika yetkilisi varsa BT'den CA dosyasını alıp bu hesap için güvenin",
      trustCaLabel: "CA dosyası (.pem, .crt, .cer)",
      trusting: "CA dosyası kaydediliyor…",
      trusted: "Sertifika yetkilisi bu hesap için kaydedildi.",
      trustFailed: "CA dosyası kaydedilemedi.",
      retest: "Yeniden test et",
    },
    step: {
      resolve: "Sunucu adı çözüldü",
      connect: "Bağlantı kuruldu",
      greeting: "Sunucu yanıt verdi",
      ehlo: "Tanışma (EHLO)",
      starttls: "STARTTLS",
      tls: "TLS şifreleme",
      auth: "Giriş yapıldı",
    },
    authFix: {
      app_password:
        "Gmail/Yahoo gibi sağlayıcılar normal şifrenizi kabul etmez: 2 adımlı doğrulamayı açıp bir Uygulama Şifresi oluşturun ve onu girin.",
      oauth_preferred:
        "Microsoft'ta SMTP AUTH büyük olasılıkla kapalı: hesabı OAuth ile bağlayın ya da BT'den SMTP AUTH'u açmasını isteyin.",
      api_key:
        "Bu hizmette şifre olarak API anahtarı (SMTP anahtarı) kullanılır: hizmetin panelinden bir anahtar oluşturup SMTP Şifre alanına onu girin; kullanıcı adını hizmetin belgelerindeki gibi yazın.",
      password: "Kullanıcı adını (çoğu zaman e-posta adresinin tamamı) ve şifreyi kontrol edin.",
    },
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
    smtp: {
      settings_incomplete: {
        message: "SMTP ayarları eksik.",
        hint: "İşaretli alanları doldurup yeniden kaydedin.",
      },
      bad_host: {
        message: "Geçerli bir sunucu adı değil.",
        hint: "Sunucu adını boşluk bırakmadan yazın, ör. smtp.firma.com.tr.",
      },
      bad_port: {
        message: "Port 1 ile 65535 arasında bir sayı olmalı.",
        hint: "Genellikle 587 (STARTTLS) ya da 465 (SSL/TLS) kullanılır.",
      },
      insecure_remote: {
        message: "Şifrelemesiz bağlantıya yalnızca bu bilgisayardaki sunucu için izin verilir.",
        hint: "STARTTLS (587) ya da SSL/TLS (465) seçin.",
      },
      duplicate_account: {
        message: "Bu adres için bu çalışma alanında zaten bir hesap var.",
        hint: "Yeni hesap eklemek yerine listedeki hesabı düzenleyin.",
      },
      account_not_found: {
        message: "Bu e-posta hesabı bulunamadı.",
        hint: "Hesap silinmiş olabilir; sayfayı yeniden yükleyin.",
      },
      ca_invalid: {
        message: "Seçilen dosya bir sertifika (PEM) dosyası değil.",
        hint: "BT'den CA sertifikasını PEM (Base-64) biçiminde isteyin; dosya -----BEGIN CERTIFICATE----- ile başlar.",
      },
      unknown_host: {
        message: "Sunucu adı bulunamadı.",
        hint: "SMTP Sunucusu alanındaki adı harf harf kontrol edin; yazım hatası olabilir. İnternet bağlantınızı da kontrol edin.",
      },
      connection_refused: {
        message: "Sunucu bu portta bağlantı kabul etmiyor.",
        hint: "Port yanlış olabilir: STARTTLS için genellikle 587, SSL/TLS için 465 kullanılır.",
      },
      connect_failed: {
        message: "Sunucuya bağlanılamadı.",
        hint: "İnternet bağlantınızı ve sunucu adını kontrol edip yeniden deneyin.",
      },
      connect_timeout: {
        message: "Sunucuya bağlanırken zaman aşımı oldu.",
        hint: "Bir güvenlik duvarı ya da antivirüs bu portu engelliyor olabilir; BT'ye sorun ya da diğer portu (587/465) deneyin.",
      },
      tls_failed: {
        message: "Şifreli bağlantı (TLS) kurulamadı.",
        hint: "Güvenlik ayarını ve portu kontrol edin; sorun sürerse BT'ye danışın.",
      },
      tls_mode_mismatch: {
        message: "Güvenlik ayarı bu portla uyuşmuyor.",
        hint: "465 portu SSL/TLS, 587 portu STARTTLS ister; Güvenlik ayarını porta göre değiştirin.",
      },
      cert_untrusted: {
        message: "Sunucunun sertifikasına güvenilmiyor.",
        hint: "Şirketiniz kendi sertifika yetkilisini kullanıyorsa BT'den CA dosyasını alıp bu hesap için güvenin.",
      },
      cert_name_mismatch: {
        message: "Sertifika bu sunucu adına ait değil.",
        hint: "Sunucu adını sağlayıcının verdiği adla birebir aynı yazın (ör. smtp.firma.com yerine mail.firma.com olabilir).",
      },
      cert_expired: {
        message: "Sunucunun sertifikasının süresi dolmuş.",
        hint: "Bilgisayarınızın tarih ve saatini kontrol edin; doğruysa sunucunun sertifikasını yenilemesi için BT'ye haber verin.",
      },
      starttls_unsupported: {
        message: "Sunucu STARTTLS desteklemiyor.",
        hint: "Güvenlik ayarını SSL/TLS ve portu 465 yapıp yeniden deneyin.",
      },
      auth_failed: {
        message: "Giriş reddedildi: kullanıcı adı ya da şifre kabul edilmedi.",
        hint: "Kullanıcı adını (çoğu zaman e-posta adresinin tamamı) ve şifreyi kontrol edin.",
      },
      auth_unavailable: {
        message: "Sunucu şifreyle girişe izin vermiyor.",
        hint: "Doğru sunucu ve portu kullandığınızdan emin olun; gerekirse BT'den SMTP girişini açmasını isteyin.",
      },
      auth_temporary: {
        message: "Sunucu girişi geçici olarak kabul etmedi.",
        hint: "Birkaç dakika bekleyip yeniden deneyin.",
      },
      tls_required: {
        message: "Sunucu girişten önce şifreli bağlantı istiyor.",
        hint: "Güvenlik ayarını STARTTLS (587) ya da SSL/TLS (465) yapın.",
      },
      timeout: {
        message: "Sunucu zamanında yanıt vermedi.",
        hint: "Biraz sonra yeniden deneyin; sorun sürerse bağlantınızı ve portu kontrol edin.",
      },
      connection_closed: {
        message: "Sunucu bağlantıyı beklenmedik biçimde kapattı.",
        hint: "Güvenlik ayarının ve portun doğru olduğunu kontrol edip yeniden deneyin.",
      },
      not_smtp: {
        message: "Bu adreste bir e-posta (SMTP) sunucusu yanıt vermiyor.",
        hint: "Sunucu adını ve portu kontrol edin; gelen posta (IMAP/POP3) sunucusu değil, giden posta sunucusu gerekir.",
      },
      rejected: {
        message: "Sunucu isteği reddetti.",
        hint: "Sunucunun yanıtı aşağıda; sorun sürerse e-posta sağlayıcınıza ya da BT'ye danışın.",
      },
    },
    send: {
      rejected: {
        message: "Sunucu iletiyi reddetti.",
        hint: "Sunucunun yanıtı nedenini söyler; çoğu zaman gönderen adresi bu hesapla kullanılamaz.",
      },
      deferred: {
        message: "Sunucu iletiyi şu an alamıyor.",
        hint: "Birkaç dakika sonra tekrar deneyin.",
      },
      network: {
        message: "İleti gönderilemedi: bağlantı kurulamadı.",
        hint: "Bağlantıyı Test Et ile hangi adımın başarısız olduğuna bakın.",
      },
      build_failed: {
        message: "İleti oluşturulamadı.",
        hint: "Hesaptaki gönderen adresini ve adını kontrol edin.",
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
