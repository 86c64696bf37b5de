window.YTD.tweets.part0 = [
  {
    "tweet": {
      "id_str": "1790",
      "full_text": "VitaLume cured my insomnia! #health",
      "created_at": "Wed Mar 04 10:00:00 +0000 2026"
    }
  },
  {
    "tweet": {
      "id_str": "1791",
      "full_text": "Lovely walk today",
      "created_at": "Thu Mar 05 10:00:00 +0000 2026"
    }
  }
]