# crier error messages (Brazilian Portuguese). Keep ids and variables in sync with en/errors.ftl.

err-102 = Sua chave de API está ausente ou não é válida. Envie-a no formato "Authorization: Bearer <API key>".
err-107 = O Facebook rejeitou a publicação. Veja os detalhes para saber o motivo informado pelo Facebook.
err-110 = O X rejeitou a publicação porque ela é uma duplicata de uma publicação recente.
err-111 = Esta conta do X não pode fazer publicações longas. Reduza o texto para 280 caracteres ou ative as publicações longas para a conta.
err-132 = O texto é longo demais para { $network }: o limite é de { $limit } caracteres e ele ultrapassa o limite em { $overage }.
err-136 = Uma URL de mídia não é válida para { $network }. As URLs de mídia devem ser endereços https completos.
err-137 = O mesmo texto já foi publicado em { $network } nas últimas 48 horas.
err-138 = O Instagram não conseguiu fazer a publicação. Veja os detalhes para saber o motivo informado pelo Instagram.
err-156 = { $network } não está vinculado a este perfil. Vincule a conta e publique novamente.
err-161 = A autorização do Facebook não é mais válida (por exemplo, a senha foi alterada ou o acesso foi removido). Vincule o Facebook novamente.
err-182 = A mídia não atende às regras de { $network } (quantidade, tamanho, proporção ou duração).
err-186 = Nenhuma publicação com este ID foi encontrada para este perfil.
err-272 = O X não conseguiu verificar a conta associada às suas chaves: ela pode estar suspensa ou bloqueada, ou suas chaves pertencem a um app do X diferente do app da conta vinculada. Verifique a conta em x.com.
err-379 = O Threads não conseguiu fazer a publicação. Verifique se a Meta consegue baixar a mídia.
err-416 = Sua conta de desenvolvedor do X não tem mais créditos de API. Adicione créditos e tente novamente.
err-418 = Seu token de acesso do X é somente leitura. Dê ao seu app do X permissão de leitura e gravação e crie um novo token de acesso.
err-419 = { $count ->
        [one] As publicações no X exigem suas próprias chaves de API: o cabeçalho { $missing } está ausente.
       *[other] As publicações no X exigem suas próprias chaves de API: os cabeçalhos { $missing } estão ausentes.
    }
err-435 = { $cause ->
    [meta] A Meta está limitando as publicações do Instagram desta conta (HTTP 429). Aguarde antes de publicar novamente; os segundos pedidos pela Meta estão em details.
    [velocity] O Instagram bloqueou a publicação porque a conta está publicando rápido demais. Aguarde antes de publicar novamente.
    [daily] O limite diário de publicações do Instagram definido pela Meta para esta conta foi atingido. Aguarde antes de publicar novamente.
    [limit] O limite de { $limit } publicações do Instagram a cada 24 horas foi atingido. Aguarde antes de publicar novamente; os segundos até liberar uma vaga estão em details.
   *[other] O limite de publicações do Instagram foi atingido. Aguarde antes de publicar novamente.
}
err-436 = O Instagram demorou demais para processar a mídia. Você pode tentar publicar novamente.
err-440 = { $network } não conseguiu baixar a mídia pela URL informada. Verifique se o endereço é público e não bloqueia rastreadores.
err-441 = Falha ao melhorar o texto (por exemplo, ao encurtar links) para { $network }; por isso nada foi enviado para { $network }.
err-444 = O Facebook está limitando as solicitações de estatísticas desta Página. A publicação continua funcionando; tente consultar as estatísticas novamente mais tarde.
err-447 = Um reel de teste precisa de uma estratégia de promoção: defina graduationStrategy como MANUAL ou SS_PERFORMANCE.
err-448 = A estratégia de promoção do reel de teste não é válida: use exatamente MANUAL ou SS_PERFORMANCE.
err-449 = A mídia não pode ser usada em um reel de teste: ela deve ser um único vídeo .mp4 ou .mov, e não um carrossel ou um story.
err-450 = Não foi possível converter a imagem para JPEG para { $network }. Exporte-a novamente como JPEG ou PNG e tente de novo.
err-451 = Não foi possível baixar a imagem para a conversão. Verifique se o endereço é público e acessível.
err-452 = Não foi possível armazenar temporariamente a imagem convertida. Este é um problema temporário; você pode tentar publicar novamente.
err-453 = O envio para o YouTube excedeu o tempo limite. Isso costuma ser temporário; você pode tentar publicar novamente.
err-454 = O serviço de upload do YouTube está temporariamente indisponível. Você pode tentar publicar novamente.
err-900 = A solicitação está malformada: o corpo não é um JSON válido ou um campo tem o tipo errado.
err-901 = Um campo obrigatório está ausente: { $field }.
err-902 = A lista de redes está vazia ou contém uma rede não suportada.
err-903 = Muitas solicitações. Aguarde um momento e tente novamente.
err-904 = Esta chave de perfil não pertence à sua conta.
err-905 = Não é possível saber se { $network } publicou o conteúdo. Verifique a conta antes de publicar novamente, para que a publicação não saia duplicada.
err-906 = Não é possível tentar esta publicação novamente: ela não tem nenhuma falha que permita nova tentativa, ou já foi tentada novamente.
err-907 = Esta chave de idempotência já foi usada em outra solicitação.
err-908 = A autorização de { $network } expirou ou foi revogada. Vincule a conta novamente.
err-909 = { $network } está limitando as solicitações no momento. Aguarde antes de publicar novamente.
err-910 = { $network } está temporariamente indisponível. Você pode tentar publicar novamente.
err-911 = Ocorreu um erro interno. Tente novamente mais tarde.
err-912 = Este endpoint não existe.
err-913 = Já existe um perfil com este título.
err-914 = Nenhum perfil com esta chave foi encontrado.
err-915 = { $network } recusou a publicação. Veja os detalhes para saber o motivo.
err-916 = A data de agendamento não é válida. Use uma data ISO 8601, como 2026-07-08T12:30:00Z.
err-917 = { $network } não permite excluir publicações já publicadas por meio da API.
err-918 = A publicação foi excluída antes de ser enviada para { $network }; nada foi publicado.
err-919 = Nenhum link curto com este identificador foi encontrado.
err-920 = O crier ainda não oferece este endpoint.
err-921 = Esta publicação não pode mais ser alterada: só é possível atualizar uma publicação agendada que ainda não foi enviada.
err-922 = Nenhuma mídia com este identificador foi encontrada, ou ela expirou.
err-923 = { $network } permite apenas { $limit } publicações por dia para esta conta, e esse limite foi atingido. Aguarde antes de publicar novamente.
err-924 = Este endpoint não aceita este método HTTP. O cabeçalho Allow lista os métodos aceitos.
